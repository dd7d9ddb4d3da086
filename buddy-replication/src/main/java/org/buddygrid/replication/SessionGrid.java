package org.buddygrid.replication;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.buddygrid.core.GridConfigurationException;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.attribute.ClassPolicy;
import org.buddygrid.core.attribute.CodecLimits;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.replication.internal.Engine;
import org.buddygrid.replication.internal.GridStatus;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.buddygrid.replication.internal.Settings;
import org.buddygrid.replication.internal.TopologyAwareSelector;
import org.buddygrid.replication.spi.BuddySelector;
import org.jgroups.JChannel;

/**
 * Replicated sessions on one node of a grid: each session is owned by the node that created it (or
 * took it over) and backed up on buddies chosen per session.
 *
 * <p>Guarantees (docs/DESIGN.md): at most one owner per session epoch; backups apply changes in
 * version order; with {@link Timing#SYNC} a committed change survives the failure of any one node;
 * a request for a session this node does not hold takes it over from wherever it lives.
 * Thread-safe.
 *
 * <pre>{@code
 * try (SessionGrid grid = SessionGrid.newBuilder().route("node1").cluster("shop")
 *         .stack(Stacks.tcp().withInitialHosts("10.0.0.1[7800],10.0.0.2[7800]"))
 *         .allow("com.example.shop.**").build().start()) {
 *   GridSession s = grid.create();
 *   s.setAttribute("cart", cart);
 *   s.commit();                                  // returns when the buddy has it (SYNC)
 *   Optional<GridSession> again = grid.open(s.id()); // from any node
 * }
 * }</pre>
 */
public final class SessionGrid implements AutoCloseable {
  private final GridNode node;
  private final Engine engine;
  private final Duration handOffTimeout;
  private final GridStatus status;

  private SessionGrid(GridNode node, Engine engine, Duration handOffTimeout) {
    this.node = node;
    this.engine = engine;
    this.handOffTimeout = handOffTimeout;
    this.status = new GridStatus(engine, node);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Joins the grid; returns once this node is a member. */
  public SessionGrid start() {
    node.start();
    return this;
  }

  /**
   * A new session owned by this node.
   *
   * @throws SessionLimitException if this node owns {@code buddygrid.max-owned-sessions} already
   */
  public GridSession create() {
    return engine.create();
  }

  /**
   * The session with this id ({@code <base>.<route>}), served by this node: taken over if another
   * node holds it. Empty if the id is malformed or no live node holds the session. After a takeover
   * {@link GridSession#id()} carries this node's route: send the client the new id.
   *
   * @throws SessionUnavailableException if the session exists but could not be taken over now (its
   *     owner crashed and is not excluded yet): answer with a temporary error, never with a new
   *     session
   */
  public Optional<GridSession> open(String id) {
    return engine.open(id);
  }

  /** Whether this node owns the session now (no takeover, no network). */
  public boolean isOwner(String id) {
    return engine.isOwner(id);
  }

  public void addListener(SessionListener listener) {
    engine.addListener(Objects.requireNonNull(listener, "listener"));
  }

  public String route() {
    return node.route();
  }

  /** The grid node underneath (members, view, metrics). */
  public GridNode node() {
    return node;
  }

  public Metrics metrics() {
    return node.metrics();
  }

  /** Sessions owned by this node. */
  public int ownedSessions() {
    return engine.ownedCount();
  }

  /**
   * The ids of the sessions this node owns now, a snapshot (e.g. to end them when a node alone in
   * its grid stops, as a single server's session manager would).
   */
  public List<String> ownedSessionIds() {
    return engine.ownedIds();
  }

  /** Session copies this node holds for other owners. */
  public long backupCopies() {
    return engine.backupCount();
  }

  /** Owned sessions with fewer copies than configured. */
  public int sessionsAtRisk() {
    return engine.atRiskCount();
  }

  /**
   * Every member's load and metrics, in view order, for dashboards: this node's at once, the
   * others' as they answer within {@code timeout} (those that do not are left out). One small
   * request per member; never blocks the caller.
   */
  public CompletionStage<List<MemberStatus>> memberStatuses(Duration timeout) {
    return status.members(Builder.positive(timeout, "timeout"));
  }

  /**
   * Where session {@code id} is, as this node knows it without asking anyone: certain if this node
   * owns it, the last replication's word if it holds a copy, else a location hint it heard. Empty
   * if the id is malformed or this node knows nothing of it. Never takes the session over.
   */
  public Optional<SessionLocation> locate(String id) {
    return status.locate(id);
  }

  /**
   * Expires idle owned sessions now instead of at the next sweep (tests with an injected clock);
   * returns how many.
   */
  public int expireIdleSessions() {
    return engine.expireIdle();
  }

  /** Sends pending location and last-access batches now instead of at their next interval. */
  public void flush() {
    engine.flushBroadcasts();
  }

  /**
   * Leaves the grid gracefully: hands every owned session to a live backup (most recently used
   * first, within {@code handOffTimeout}), then leaves. Rolling restarts lose nothing. Idempotent.
   */
  @Override
  public void close() {
    if (node.isRunning()) {
      engine.handOffAll(handOffTimeout);
    }
    engine.close();
    node.close();
  }

  /**
   * Leaves at once, without handing sessions over: to the others this is a crash (their backups
   * promote themselves). For tests and emergencies.
   */
  public void closeAbruptly() {
    engine.close();
    node.close();
  }

  /**
   * Every setting of a {@link SessionGrid}, each with one default, checked when set. The names in
   * parentheses are the keys the servlet adapter reads.
   */
  public static final class Builder {
    private final GridNode.Builder node = GridNode.builder();
    private JGroupsStack stack;
    private JChannel channel;
    private Timing timing = Timing.SYNC;
    private Duration flushInterval = Duration.ofMillis(100);
    private Granularity granularity = Granularity.ATTRIBUTE;
    private DirtyOnGet dirtyOnGet = DirtyOnGet.MUTABLE;
    private CrossReferences crossReferences = CrossReferences.DETECT;
    private int backups = 1;
    private BuddySelector selector = new TopologyAwareSelector();
    private Duration touchInterval = Duration.ofSeconds(10);
    private Duration replicationTimeout = Duration.ofSeconds(2);
    private Duration takeoverTimeout = Duration.ofSeconds(5);
    private Duration quiesceTimeout = Duration.ofSeconds(1);
    private Duration lookupTimeout = Duration.ofSeconds(1);
    private Duration locationBatchDelay = Duration.ofMillis(20);
    private int locationBatchSize = 512;
    private long directorySize = 1_000_000;
    private long maxBackupBytes = 512L << 20;
    private int maxOwnedSessions = 1_000_000;
    private long maxSessionSize = 16L << 20;
    private Duration backupGrace = Duration.ofMinutes(1);
    private Duration joinGrace = Duration.ofSeconds(60);
    private int recoveryRate = 5_000;
    private boolean groupCommit = true;
    private Duration handOffTimeout = Duration.ofSeconds(30);
    private Duration expirySweep = Duration.ofSeconds(1);
    private Duration defaultMaxInactive = Duration.ofMinutes(30);
    private ClassPolicy classPolicy = ClassPolicy.jdkOnly();
    private CodecLimits codecLimits = CodecLimits.defaults();
    private final Set<Class<?>> immutableTypes = new HashSet<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** This node's route (required; unique in the grid; the session id suffix). */
    public Builder route(String route) {
      node.route(route);
      return this;
    }

    /** The cluster name (default {@code buddygrid}). */
    public Builder cluster(String cluster) {
      node.cluster(cluster);
      return this;
    }

    /** Topology tags for buddy selection (default: this host's name, no rack, no zone). */
    public Builder topology(String host, String rack, String zone) {
      node.host(host).rack(rack).zone(zone);
      return this;
    }

    /** The JGroups stack (default {@link Stacks#tcp()}). */
    public Builder stack(JGroupsStack stack) {
      this.stack = Objects.requireNonNull(stack, "stack");
      return this;
    }

    /** Run on a channel of the host's (a dedicated or fork channel) instead of a stack. */
    public Builder channel(JChannel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** When changes reach backups ({@code buddygrid.timing}, default {@code SYNC}). */
    public Builder timing(Timing timing) {
      this.timing = Objects.requireNonNull(timing, "timing");
      return this;
    }

    /**
     * How often {@link Timing#INTERVAL} flushes ({@code buddygrid.flush-interval}, default 100 ms).
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = positive(interval, "flush interval");
      return this;
    }

    /** What a commit ships ({@code buddygrid.granularity}, default {@code ATTRIBUTE}). */
    public Builder granularity(Granularity granularity) {
      this.granularity = Objects.requireNonNull(granularity, "granularity");
      return this;
    }

    /**
     * Whether reads can dirty an attribute ({@code buddygrid.dirty-on-get}, default {@code
     * MUTABLE}).
     */
    public Builder dirtyOnGet(DirtyOnGet dirtyOnGet) {
      this.dirtyOnGet = Objects.requireNonNull(dirtyOnGet, "dirtyOnGet");
      return this;
    }

    /**
     * Shared objects across attributes ({@code buddygrid.cross-references}, default {@code
     * DETECT}).
     */
    public Builder crossReferences(CrossReferences crossReferences) {
      this.crossReferences = Objects.requireNonNull(crossReferences, "crossReferences");
      return this;
    }

    /** Copies besides the owner's ({@code buddygrid.backups}, default 1). */
    public Builder backups(int backups) {
      if (backups < 1 || backups > 8) {
        throw new GridConfigurationException("backups must be between 1 and 8, was " + backups);
      }
      this.backups = backups;
      return this;
    }

    /** How backups are chosen (default: topology-aware, least loaded). */
    public Builder buddySelector(BuddySelector selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * How often last-access times reach backups ({@code buddygrid.touch-interval}, default 10 s).
     */
    public Builder touchInterval(Duration interval) {
      this.touchInterval = positive(interval, "touch interval");
      return this;
    }

    /**
     * How long a SYNC commit waits for its backups ({@code buddygrid.replication-timeout}, default
     * 2 s).
     */
    public Builder replicationTimeout(Duration timeout) {
      this.replicationTimeout = positive(timeout, "replication timeout");
      return this;
    }

    /**
     * How long a takeover waits for the arbiter ({@code buddygrid.takeover-timeout}, default 5 s).
     */
    public Builder takeoverTimeout(Duration timeout) {
      this.takeoverTimeout = positive(timeout, "takeover timeout");
      return this;
    }

    /**
     * How long an owner waits for requests in flight before handing a session over (default 1 s).
     */
    public Builder quiesceTimeout(Duration timeout) {
      this.quiesceTimeout = positive(timeout, "quiesce timeout");
      return this;
    }

    /**
     * How long a "who holds" query waits for answers ({@code buddygrid.lookup-timeout}, default 1
     * s).
     */
    public Builder lookupTimeout(Duration timeout) {
      this.lookupTimeout = positive(timeout, "lookup timeout");
      return this;
    }

    /**
     * Location broadcasts: at most this late (default 20 ms) and this many per batch (default 512).
     */
    public Builder locationBatching(Duration delay, int size) {
      this.locationBatchDelay = positive(delay, "location batch delay");
      if (size < 1) {
        throw new GridConfigurationException("location batch size must be at least 1, was " + size);
      }
      this.locationBatchSize = size;
      return this;
    }

    /** Entries kept in the location directory (default 1,000,000; least recently used go first). */
    public Builder directorySize(long entries) {
      if (entries < 1) {
        throw new GridConfigurationException("directory size must be at least 1, was " + entries);
      }
      this.directorySize = entries;
      return this;
    }

    /**
     * Bytes of backup copies this node keeps at most ({@code buddygrid.max-backup-bytes}, default
     * 512 MiB).
     */
    public Builder maxBackupBytes(long bytes) {
      if (bytes < 1 << 20) {
        throw new GridConfigurationException(
            "max backup bytes must be at least 1 MiB, was " + bytes);
      }
      this.maxBackupBytes = bytes;
      return this;
    }

    /**
     * Sessions this node creates at most while it owns this many ({@code
     * buddygrid.max-owned-sessions}, default 1,000,000): {@link SessionGrid#create()} beyond it
     * throws {@link SessionLimitException}. Takeovers and promotions are never refused.
     */
    public Builder maxOwnedSessions(int sessions) {
      if (sessions < 1) {
        throw new GridConfigurationException(
            "max owned sessions must be at least 1, was " + sessions);
      }
      this.maxOwnedSessions = sessions;
      return this;
    }

    /**
     * The most bytes one session's attributes may encode to ({@code buddygrid.max-session-size},
     * default 16 MiB): {@link GridSession#setAttribute(String, Object)} beyond it throws {@link
     * SessionTooLargeException}. Counted from each value's encoded size when it was set on this
     * node; values that arrived with a takeover count as nothing until they are set again, so a
     * session that moved can reach at most twice the bound.
     */
    public Builder maxSessionSize(long bytes) {
      if (bytes < 1024) {
        throw new GridConfigurationException(
            "max session size must be at least 1 KiB, was " + bytes);
      }
      this.maxSessionSize = bytes;
      return this;
    }

    /**
     * Extra time an orphaned backup copy is kept after its max inactive interval (default 1 min).
     */
    public Builder backupGrace(Duration grace) {
      this.backupGrace = positive(grace, "backup grace");
      return this;
    }

    /**
     * How long a node that cannot see the rest of the grid answers a session it cannot find with
     * {@link SessionUnavailableException} instead of "no such session" ({@code
     * buddygrid.join-grace}, default 60 s; zero turns it off). A new empty session would replace
     * the client's, which may well live on the part of the grid this node does not see.
     *
     * <ul>
     *   <li>After it starts, until it has shared a view with another member: a node restarted while
     *       discovery misses the grid runs alone until a merge brings it in (16-30 s under load
     *       here). Applies to ids naming another route, and to this node's own route's ids too when
     *       its {@code TCPPING} host list names another address; a node whose discovery names no
     *       peer answers its own ids as before (it created them).
     *   <li>From when its side of the grid became a minority (a pause beyond failure detection, a
     *       partition, a minority of survivors): to every id, as the other side may own it.
     * </ul>
     */
    public Builder joinGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new GridConfigurationException("join grace must be zero or positive, was " + grace);
      }
      this.joinGrace = grace;
      return this;
    }

    /**
     * Whether replication to one backup is group-committed ({@code buddygrid.group-commit}, default
     * true). While a delta to a backup is on its way, the next ones to that backup wait and then
     * leave together as one message, answered by one reply; a lone commit waits for nothing. False
     * sends one request and gets one reply per commit and backup, (the way of earlier builds): it
     * exists to measure the difference, and costs throughput and bytes under concurrent commits.
     */
    public Builder groupCommit(boolean groupCommit) {
      this.groupCommit = groupCommit;
      return this;
    }

    /**
     * Sessions per second this node re-replicates or promotes after members leave ({@code
     * buddygrid.recovery-rate}, default 5,000), most recently used first: a crash costs the
     * survivors a bounded amount of work per second.
     */
    public Builder recoveryRate(int sessionsPerSecond) {
      if (sessionsPerSecond < 1) {
        throw new GridConfigurationException(
            "recovery rate must be at least 1 session per second, was " + sessionsPerSecond);
      }
      this.recoveryRate = sessionsPerSecond;
      return this;
    }

    /**
     * How often the owner looks for idle sessions to expire ({@code buddygrid.expiry-sweep},
     * default 1 s).
     */
    public Builder expirySweep(Duration interval) {
      this.expirySweep = positive(interval, "expiry sweep");
      return this;
    }

    /**
     * How long a graceful {@link SessionGrid#close()} may spend handing sessions over (default 30
     * s).
     */
    public Builder handOffTimeout(Duration timeout) {
      this.handOffTimeout = positive(timeout, "hand-off timeout");
      return this;
    }

    /** Max inactive interval of new sessions ({@code buddygrid.max-inactive}, default 30 min). */
    public Builder defaultMaxInactive(Duration interval) {
      this.defaultMaxInactive = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Classes that may live in sessions besides the JDK's ({@code buddygrid.allow}): {@code
     * com.example.Foo}, {@code com.example.*} (one package), {@code com.example.**} (and below).
     */
    public Builder allow(String... patterns) {
      this.classPolicy = ClassPolicy.allowing(patterns);
      return this;
    }

    /** Size, length and depth limits of attribute values. */
    public Builder codecLimits(CodecLimits limits) {
      this.codecLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Classes whose instances never change (reading them never dirties an attribute). */
    public Builder immutable(Class<?>... types) {
      for (Class<?> t : types) {
        immutableTypes.add(Objects.requireNonNull(t, "type"));
      }
      return this;
    }

    /** The clock for timestamps and expiry (default UTC system clock; tests inject their own). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Request and start timeouts, JMX: the grid node's own settings. */
    public Builder node(java.util.function.Consumer<GridNode.Builder> settings) {
      settings.accept(node);
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new GridConfigurationException(what + " must be positive, was " + d);
      }
      return d;
    }

    public SessionGrid build() {
      if (stack != null && channel != null) {
        throw new GridConfigurationException("give a session grid a stack or a channel, not both");
      }
      if (channel != null) {
        node.channel(channel);
      } else {
        node.stack(stack != null ? stack : Stacks.tcp());
      }
      node.catalog(ReplicationCatalog.catalog());
      GridNode built = node.build();
      Settings settings =
          new Settings(
              timing,
              flushInterval,
              granularity,
              dirtyOnGet,
              crossReferences,
              backups,
              selector,
              touchInterval,
              replicationTimeout,
              takeoverTimeout,
              quiesceTimeout,
              lookupTimeout,
              locationBatchDelay,
              locationBatchSize,
              directorySize,
              maxBackupBytes,
              maxOwnedSessions,
              maxSessionSize,
              backupGrace,
              joinGrace,
              recoveryRate,
              groupCommit,
              expirySweep,
              defaultMaxInactive,
              classPolicy,
              codecLimits,
              Set.copyOf(immutableTypes),
              clock);
      return new SessionGrid(built, new Engine(settings, built), handOffTimeout);
    }
  }
}
