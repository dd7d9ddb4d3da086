package org.buddygrid.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.buddygrid.replication.CrossReferences;
import org.buddygrid.replication.DirtyOnGet;
import org.buddygrid.replication.Granularity;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.Timing;

/**
 * Every setting of the session adapter, in one place: each constant below is one setting with its
 * key, its default and one line saying what it does. Filter mode and the Tomcat manager read the
 * same settings through this class.
 *
 * <p>{@link #load} reads the sources in precedence order (usually system properties, then init
 * parameters or manager attributes, then {@code buddygrid.properties}, then the defaults here) and
 * checks everything at once: unknown keys (with the nearest known key), malformed values (with the
 * forms accepted), a missing route (with where to set it), values the grid refuses, and the JGroups
 * stack with its placeholders. A loaded instance is immutable and valid; {@link #gridBuilder()}
 * turns it into a {@link SessionGrid.Builder}.
 */
public final class BuddyGridSettings {
  /** This node's route (jvmRoute): unique in the grid, the suffix of every session id; required. */
  public static final Setting<String> ROUTE = Setting.route("buddygrid.route");

  /** Nodes with one cluster name and one stack form one grid. */
  public static final Setting<String> CLUSTER = Setting.text("buddygrid.cluster", "buddygrid");

  /**
   * The JGroups stack: {@code loopback}, {@code udp}, {@code tcp}, {@code secure}, or a stack XML
   * path or URL.
   */
  public static final Setting<String> STACK = Setting.text("buddygrid.stack", "tcp");

  /** This node's host tag for buddy selection (default: the machine's host name). */
  public static final Setting<String> HOST = Setting.optionalText("buddygrid.host");

  /** This node's rack tag for buddy selection (default: none). */
  public static final Setting<String> RACK = Setting.optionalText("buddygrid.rack");

  /** This node's zone tag for buddy selection (default: none). */
  public static final Setting<String> ZONE = Setting.optionalText("buddygrid.zone");

  /** When changes reach the backups: SYNC (before the response), ASYNC or INTERVAL. */
  public static final Setting<Timing> TIMING =
      Setting.choice("buddygrid.timing", Timing.class, Timing.SYNC);

  /** How often INTERVAL timing ships the sessions committed since the last flush. */
  public static final Setting<Duration> FLUSH_INTERVAL =
      Setting.duration("buddygrid.flush-interval", "100ms");

  /** What a commit ships: the changed ATTRIBUTEs, or the whole SESSION when anything changed. */
  public static final Setting<Granularity> GRANULARITY =
      Setting.choice("buddygrid.granularity", Granularity.class, Granularity.ATTRIBUTE);

  /** Whether reading a mutable attribute counts as a possible change (MUTABLE) or not (NEVER). */
  public static final Setting<DirtyOnGet> DIRTY_ON_GET =
      Setting.choice("buddygrid.dirty-on-get", DirtyOnGet.class, DirtyOnGet.MUTABLE);

  /** Attributes sharing objects: DETECT (log and count) or GROUP (replicate them together). */
  public static final Setting<CrossReferences> CROSS_REFERENCES =
      Setting.choice("buddygrid.cross-references", CrossReferences.class, CrossReferences.DETECT);

  /** Copies of each session besides the owner's, 1 to 8. */
  public static final Setting<Integer> BACKUPS = Setting.integer("buddygrid.backups", 1, 1, 8);

  /** How often last-access times reach the backups (batched per peer). */
  public static final Setting<Duration> TOUCH_INTERVAL =
      Setting.duration("buddygrid.touch-interval", "10s");

  /** How long a SYNC commit waits for its backups. */
  public static final Setting<Duration> REPLICATION_TIMEOUT =
      Setting.duration("buddygrid.replication-timeout", "2s");

  /** How long a takeover waits for the arbiter. */
  public static final Setting<Duration> TAKEOVER_TIMEOUT =
      Setting.duration("buddygrid.takeover-timeout", "5s");

  /** How long an owner waits for requests in flight before handing a session to another node. */
  public static final Setting<Duration> QUIESCE_TIMEOUT =
      Setting.duration("buddygrid.quiesce-timeout", "1s");

  /** How long a "who holds this session" query waits for answers. */
  public static final Setting<Duration> LOOKUP_TIMEOUT =
      Setting.duration("buddygrid.lookup-timeout", "1s");

  /** Bytes of backup copies this node keeps at most. */
  public static final Setting<Long> MAX_BACKUP_BYTES =
      Setting.bytes("buddygrid.max-backup-bytes", "512MiB");

  /**
   * Sessions this node creates at most while it owns this many; a request that would create one
   * more gets {@code 503} with {@code Retry-After} (takeovers are never refused).
   */
  public static final Setting<Integer> MAX_OWNED_SESSIONS =
      Setting.integer("buddygrid.max-owned-sessions", 1_000_000, 1, Integer.MAX_VALUE);

  /**
   * The most bytes one session's attributes may encode to; {@code setAttribute} beyond it throws
   * {@code SessionTooLargeException}.
   */
  public static final Setting<Long> MAX_SESSION_SIZE =
      Setting.bytes("buddygrid.max-session-size", "16MiB");

  /** Sessions per second this node re-replicates or promotes after members leave. */
  public static final Setting<Integer> RECOVERY_RATE =
      Setting.integer("buddygrid.recovery-rate", 5_000, 1, Integer.MAX_VALUE);

  /**
   * Whether deltas to one backup that wait behind one on its way leave together as one message
   * (group commit; {@code false} only to measure the difference).
   */
  public static final Setting<Boolean> GROUP_COMMIT = Setting.flag("buddygrid.group-commit", true);

  /** How long a graceful stop may spend handing owned sessions to other nodes. */
  public static final Setting<Duration> HAND_OFF_TIMEOUT =
      Setting.duration("buddygrid.hand-off-timeout", "30s");

  /**
   * How long after it starts a node that has met no other member answers a session another node
   * created, and that it cannot find, with {@code 503} instead of a new session ({@code 0s}: off).
   */
  public static final Setting<Duration> JOIN_GRACE =
      Setting.duration("buddygrid.join-grace", "60s");

  /** How often the owner looks for idle sessions to expire. */
  public static final Setting<Duration> EXPIRY_SWEEP =
      Setting.duration("buddygrid.expiry-sweep", "1s");

  /** Max inactive interval of new sessions, 0 for never (default: web.xml session-timeout). */
  public static final Setting<Duration> MAX_INACTIVE =
      Setting.duration("buddygrid.max-inactive", "30min");

  /** Classes besides the JDK's that may live in sessions: {@code com.example.Foo, com.ex.**}. */
  public static final Setting<List<String>> ALLOW = Setting.list("buddygrid.allow");

  /** Whether the grid's metrics are registered over JMX. */
  public static final Setting<Boolean> JMX = Setting.flag("buddygrid.jmx", true);

  /** Whether the servlet container initializer installs filter mode (false: it does nothing). */
  public static final Setting<Boolean> ENABLED = Setting.flag("buddygrid.enabled", false);

  /** Whether session ids travel in URLs ({@code ;jsessionid=}) as well as in cookies. */
  public static final Setting<Boolean> URL_REWRITING =
      Setting.flag("buddygrid.url-rewriting", false);

  /** The session cookie's SameSite attribute: LAX, STRICT, NONE or UNSET (left out). */
  public static final Setting<SameSite> COOKIE_SAME_SITE =
      Setting.choice("buddygrid.cookie.same-site", SameSite.class, SameSite.LAX);

  /** Session, attribute and id listener classes to instantiate, comma-separated, in order. */
  public static final Setting<List<String>> LISTENERS = Setting.list("buddygrid.listeners");

  /**
   * What the client gets when a commit is AT_RISK: SERVE (counted, logged) or UNAVAILABLE (503).
   */
  public static final Setting<AtRiskResponse> AT_RISK =
      Setting.choice("buddygrid.at-risk", AtRiskResponse.class, AtRiskResponse.SERVE);

  private static final List<Setting<?>> ALL =
      List.of(
          ROUTE,
          CLUSTER,
          STACK,
          HOST,
          RACK,
          ZONE,
          TIMING,
          FLUSH_INTERVAL,
          GRANULARITY,
          DIRTY_ON_GET,
          CROSS_REFERENCES,
          BACKUPS,
          TOUCH_INTERVAL,
          REPLICATION_TIMEOUT,
          TAKEOVER_TIMEOUT,
          QUIESCE_TIMEOUT,
          LOOKUP_TIMEOUT,
          MAX_BACKUP_BYTES,
          MAX_OWNED_SESSIONS,
          MAX_SESSION_SIZE,
          RECOVERY_RATE,
          GROUP_COMMIT,
          HAND_OFF_TIMEOUT,
          JOIN_GRACE,
          EXPIRY_SWEEP,
          MAX_INACTIVE,
          ALLOW,
          JMX,
          ENABLED,
          URL_REWRITING,
          COOKIE_SAME_SITE,
          LISTENERS,
          AT_RISK);

  private final Map<Setting<?>, Object> values;
  private final Map<String, String> origins;
  private final Map<String, String> stackValues;

  BuddyGridSettings(
      Map<Setting<?>, Object> values,
      Map<String, String> origins,
      Map<String, String> stackValues) {
    this.values = Map.copyOf(values);
    this.origins = Map.copyOf(origins);
    this.stackValues = Map.copyOf(stackValues);
  }

  /** Every setting, in documentation order. */
  public static List<Setting<?>> all() {
    return ALL;
  }

  /**
   * Reads and checks the settings; {@code sources} in precedence order (the first that has a key
   * wins), the defaults last.
   *
   * @throws InvalidSettingsException listing every problem found
   */
  public static BuddyGridSettings load(List<SettingsSource> sources) {
    return SettingsLoader.load(sources);
  }

  /** As {@link #load(List)}. */
  public static BuddyGridSettings load(SettingsSource... sources) {
    return load(List.of(sources));
  }

  /**
   * The value of a setting: given by a source, else its default.
   *
   * @throws NoSuchElementException for an optional setting without a value (use {@link #find})
   */
  public <T> T get(Setting<T> setting) {
    return find(setting)
        .orElseThrow(() -> new NoSuchElementException(setting.key() + " has no value"));
  }

  /** The value of a setting, empty only for an optional setting that no source gave. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> setting) {
    return Optional.ofNullable((T) values.get(setting));
  }

  /** Whether a source gave this setting (rather than its default applying). */
  public boolean isSet(Setting<?> setting) {
    return origins.containsKey(setting.key());
  }

  /** Where a setting's value came from ({@code system property}, ...), if a source gave it. */
  public Optional<String> origin(Setting<?> setting) {
    return Optional.ofNullable(origins.get(setting.key()));
  }

  /** Every {@code buddygrid.*} value the sources gave, for the JGroups stack's placeholders. */
  Map<String, String> stackValues() {
    return stackValues;
  }

  /**
   * A new grid builder with every grid setting applied, including the JGroups stack with every
   * {@code buddygrid.*} value as a placeholder value. Callers may change it further (the filter
   * applies the web application's session timeout when {@link #MAX_INACTIVE} is not set).
   */
  public SessionGrid.Builder gridBuilder() {
    List<String> problems = new ArrayList<>();
    SessionGrid.Builder builder = GridBuilders.apply(this, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return builder;
  }

  @Override
  public String toString() {
    return "BuddyGridSettings[route=" + values.get(ROUTE) + ", set=" + origins.keySet() + "]";
  }
}
