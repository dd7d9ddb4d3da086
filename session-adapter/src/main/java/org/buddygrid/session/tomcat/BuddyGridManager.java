package org.buddygrid.session.tomcat;

import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Session;
import org.apache.catalina.Valve;
import org.apache.catalina.session.ManagerBase;
import org.apache.catalina.session.TooManyActiveSessionsException;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.BuddyGridSettings;

/**
 * Tomcat mode: a native Tomcat {@code Manager} whose sessions live in BuddyGrid, for Tomcat 10.1
 * and 11. Configured in {@code context.xml}:
 *
 * <pre>{@code
 * <Manager className="org.buddygrid.session.tomcat.BuddyGridManager"
 *          stack="tcp" cluster="shop" timing="SYNC" allow="com.example.shop.**"/>
 * }</pre>
 *
 * <p>Each attribute is a setting of {@link BuddyGridSettings}, named in camelCase without {@code
 * buddygrid.} ({@code replicationTimeout} is {@code buddygrid.replication-timeout}) or by its full
 * key (for the stack's own settings, e.g. {@code buddygrid.tcp.initial_hosts}). The route is the
 * Engine's {@code jvmRoute}. Settings are checked when the manager starts, with the messages of
 * filter mode; a mistake fails the context's start, every problem listed.
 *
 * <p>Guarantees: one session grid per context, joined when the manager starts and left gracefully
 * when it stops (owned sessions are handed to other nodes; a node alone ends them as {@code
 * StandardManager} does); a request's session changes are committed before its response can commit
 * (see {@link BuddyGridValve}), and a commit that is not durable is answered with an error, never
 * acknowledged; a request for a session another node owns takes it over and gives the client a
 * cookie with this node's route; the listeners Tomcat knows (web.xml, {@code @WebListener}, {@code
 * addListener}) hear every event in Tomcat's order; sessions expire on their owner's grid clock,
 * never on Tomcat's background thread; a client-supplied id is never adopted.
 */
public final class BuddyGridManager extends ManagerBase {
  private final ManagerSettings attributes = new ManagerSettings();
  private final BuddyGridValve valve = new BuddyGridValve(this);
  private volatile TomcatGrid running;

  // ---------------------------------------------------------------- attributes

  /** Any setting by its attribute name or full key, e.g. {@code buddygrid.tcp.initial_hosts}. */
  public boolean setProperty(String name, String value) {
    attributes.set(name, value);
    return true;
  }

  /** The value given for an attribute or key, if any (checked only when the manager starts). */
  public Optional<String> attribute(String name) {
    return attributes.get(ManagerSettings.key(name));
  }

  /** {@code buddygrid.cluster}: nodes with one cluster name and one stack form one grid. */
  public void setCluster(String value) {
    setProperty("cluster", value);
  }

  /**
   * {@code buddygrid.stack}: {@code loopback}, {@code udp}, {@code tcp}, {@code secure}, or a stack
   * XML.
   */
  public void setStack(String value) {
    setProperty("stack", value);
  }

  /** {@code buddygrid.host}: host tag for buddy selection. */
  public void setHost(String value) {
    setProperty("host", value);
  }

  /** {@code buddygrid.rack}: rack tag for buddy selection. */
  public void setRack(String value) {
    setProperty("rack", value);
  }

  /** {@code buddygrid.zone}: zone tag for buddy selection. */
  public void setZone(String value) {
    setProperty("zone", value);
  }

  /** {@code buddygrid.timing}: {@code SYNC}, {@code ASYNC} or {@code INTERVAL}. */
  public void setTiming(String value) {
    setProperty("timing", value);
  }

  /** {@code buddygrid.flush-interval}: how often {@code INTERVAL} ships changes. */
  public void setFlushInterval(String value) {
    setProperty("flushInterval", value);
  }

  /** {@code buddygrid.granularity}: {@code ATTRIBUTE} or {@code SESSION}. */
  public void setGranularity(String value) {
    setProperty("granularity", value);
  }

  /** {@code buddygrid.dirty-on-get}: {@code MUTABLE} or {@code NEVER}. */
  public void setDirtyOnGet(String value) {
    setProperty("dirtyOnGet", value);
  }

  /** {@code buddygrid.cross-references}: {@code DETECT} or {@code GROUP}. */
  public void setCrossReferences(String value) {
    setProperty("crossReferences", value);
  }

  /** {@code buddygrid.backups}: copies of each session besides the owner's, 1 to 8. */
  public void setBackups(String value) {
    setProperty("backups", value);
  }

  /** {@code buddygrid.touch-interval}: how often last-access times reach the backups. */
  public void setTouchInterval(String value) {
    setProperty("touchInterval", value);
  }

  /** {@code buddygrid.replication-timeout}: how long a {@code SYNC} commit waits. */
  public void setReplicationTimeout(String value) {
    setProperty("replicationTimeout", value);
  }

  /** {@code buddygrid.takeover-timeout}: how long a takeover waits for the arbiter. */
  public void setTakeoverTimeout(String value) {
    setProperty("takeoverTimeout", value);
  }

  /** {@code buddygrid.quiesce-timeout}: how long an owner waits for requests in flight. */
  public void setQuiesceTimeout(String value) {
    setProperty("quiesceTimeout", value);
  }

  /** {@code buddygrid.lookup-timeout}: how long a "who holds this session" query waits. */
  public void setLookupTimeout(String value) {
    setProperty("lookupTimeout", value);
  }

  /** {@code buddygrid.max-backup-bytes}: bytes of backup copies this node keeps at most. */
  public void setMaxBackupBytes(String value) {
    setProperty("maxBackupBytes", value);
  }

  /**
   * {@code buddygrid.max-owned-sessions}: sessions this node creates at most while it owns them.
   */
  public void setMaxOwnedSessions(String value) {
    setProperty("maxOwnedSessions", value);
  }

  /** {@code buddygrid.max-session-size}: the most bytes one session's attributes may encode to. */
  public void setMaxSessionSize(String value) {
    setProperty("maxSessionSize", value);
  }

  /** {@code buddygrid.recovery-rate}: sessions per second recovered after members leave. */
  public void setRecoveryRate(String value) {
    setProperty("recoveryRate", value);
  }

  /** {@code buddygrid.group-commit}: group-commit deltas to one backup (default true). */
  public void setGroupCommit(String value) {
    setProperty("groupCommit", value);
  }

  /** {@code buddygrid.hand-off-timeout}: how long stopping may spend handing sessions over. */
  public void setHandOffTimeout(String value) {
    setProperty("handOffTimeout", value);
  }

  /**
   * {@code buddygrid.join-grace}: how long a node alone since it started, or on a minority side of
   * the grid, answers sessions it cannot find as unavailable rather than gone.
   */
  public void setJoinGrace(String value) {
    setProperty("joinGrace", value);
  }

  /** {@code buddygrid.expiry-sweep}: how often the owner looks for idle sessions to expire. */
  public void setExpirySweep(String value) {
    setProperty("expirySweep", value);
  }

  /** {@code buddygrid.max-inactive}: of new sessions; default: the context's session timeout. */
  public void setMaxInactive(String value) {
    setProperty("maxInactive", value);
  }

  /** {@code buddygrid.allow}: classes besides the JDK's that may live in sessions. */
  public void setAllow(String value) {
    setProperty("allow", value);
  }

  /** {@code buddygrid.jmx}: whether the grid's metrics are registered over JMX. */
  public void setJmx(String value) {
    setProperty("jmx", value);
  }

  /** {@code buddygrid.at-risk}: {@code SERVE}, or {@code UNAVAILABLE} (a 503). */
  public void setAtRisk(String value) {
    setProperty("atRisk", value);
  }

  // ---------------------------------------------------------------- life cycle

  /** Also puts the manager's valve in the context's pipeline, ahead of the authenticator. */
  @Override
  public void setContext(Context context) {
    Context old = getContext();
    super.setContext(context);
    if (old != null && old != context) {
      old.getPipeline().removeValve(valve);
    }
    if (context != null) {
      addValve(context);
    }
  }

  private void addValve(Context context) {
    for (Valve v : context.getPipeline().getValves()) {
      if (v == valve) {
        return;
      }
    }
    context.getPipeline().addValve(valve);
  }

  @Override
  protected void startInternal() throws LifecycleException {
    super.startInternal();
    Context context = getContext();
    addValve(context);
    ClassLoader loader =
        context.getLoader() != null
            ? context.getLoader().getClassLoader()
            : Thread.currentThread().getContextClassLoader();
    try {
      BuddyGridSettings settings = attributes.load(getJvmRoute(), loader);
      running = TomcatGrid.start(this, context, settings);
    } catch (RuntimeException e) {
      throw new LifecycleException(
          "BuddyGrid Tomcat mode could not start for context "
              + context.getName()
              + ": "
              + e.getMessage(),
          e);
    }
    setState(LifecycleState.STARTING);
  }

  /** Hands every owned session to other nodes, then leaves the grid. */
  @Override
  protected void stopInternal() throws LifecycleException {
    setState(LifecycleState.STOPPING);
    TomcatGrid grid = running;
    try {
      if (grid != null) {
        grid.stop();
      }
    } finally {
      running = null;
      super.stopInternal();
    }
  }

  /** The attributes given so far. */
  ManagerSettings attributes() {
    return attributes;
  }

  /** The running grid, or {@code null} before the start and after the stop. */
  TomcatGrid running() {
    return running;
  }

  /** The context's session grid, while the manager runs. */
  public Optional<SessionGrid> grid() {
    TomcatGrid g = running;
    return g == null ? Optional.empty() : Optional.of(g.grid());
  }

  /** The grid's metrics (also on JMX unless {@code jmx="false"}), while the manager runs. */
  public Optional<Metrics> metrics() {
    return grid().map(SessionGrid::metrics);
  }

  /** The settings in force, while the manager runs. */
  public Optional<BuddyGridSettings> settings() {
    TomcatGrid g = running;
    return g == null ? Optional.empty() : Optional.of(g.settings());
  }

  void expiredOne() {
    expiredSessions.incrementAndGet();
  }

  // ---------------------------------------------------------------- Manager

  /**
   * The session with this id: one this node owns (whatever route the id names), or, for a request
   * in progress, one taken over from the node that holds it. Other callers (the access log, JMX,
   * the manager application) only see sessions this node owns.
   */
  @Override
  public Session findSession(String id) {
    TomcatGrid g = running;
    return g == null ? null : g.findSession(id);
  }

  /**
   * A new session with an id of the grid's; {@code sessionId} (a client's proposal) is ignored, so
   * an id is never adopted from a client.
   *
   * @throws TooManyActiveSessionsException if {@code maxActiveSessions} sessions are owned here
   */
  @Override
  public Session createSession(String sessionId) {
    TomcatGrid g = running;
    if (g == null) {
      throw new IllegalStateException("the BuddyGrid manager is not running");
    }
    int max = getMaxActiveSessions();
    if (max >= 0 && g.grid().ownedSessions() >= max) {
      rejectedSessions++;
      throw new TooManyActiveSessionsException(
          "this node owns " + max + " sessions already (maxActiveSessions)", max);
    }
    Session created = g.createSession();
    int owned = g.grid().ownedSessions();
    if (owned > maxActive) {
      maxActive = owned;
    }
    return created;
  }

  /**
   * Sessions exist in the grid only: use {@link #createSession}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Session createEmptySession() {
    throw new UnsupportedOperationException(
        "BuddyGridManager creates sessions in the grid only (createSession); a component that"
            + " builds sessions itself (a session Store, a cluster valve) cannot be combined with"
            + " it: remove it from context.xml");
  }

  /** Every session this node owns; each access to one of them is committed at once. */
  @Override
  public Session[] findSessions() {
    TomcatGrid g = running;
    return g == null ? new Session[0] : g.findSessions();
  }

  /** Sessions this node owns now. */
  @Override
  public int getActiveSessions() {
    TomcatGrid g = running;
    return g == null ? 0 : g.grid().ownedSessions();
  }

  /** The grid keeps its sessions: nothing to add. */
  @Override
  public void add(Session session) {}

  /** The grid keeps its sessions: a session ends by {@code expire()} or invalidation. */
  @Override
  public void remove(Session session) {}

  /** The grid keeps its sessions: a session ends by {@code expire()} or invalidation. */
  @Override
  public void remove(Session session, boolean update) {}

  /** A new id from the grid, on the backups too; the id listeners are told. */
  @Override
  public String rotateSessionId(Session session) {
    if (!(session instanceof GridTomcatSession s)) {
      throw new IllegalArgumentException("not a BuddyGrid session: " + session);
    }
    return s.changeId();
  }

  /**
   * BuddyGrid chooses session ids: use {@link #rotateSessionId}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void changeSessionId(Session session, String newId) {
    throw new UnsupportedOperationException(
        "BuddyGrid chooses session ids; use rotateSessionId(session)");
  }

  /** Hand-off on stop replaces persistence: nothing to load. */
  @Override
  public void load() {}

  /** Hand-off on stop replaces persistence: nothing to save. */
  @Override
  public void unload() {}

  /**
   * Tomcat's background expiry does not expire BuddyGrid sessions: their owner's grid does, every
   * {@code expirySweep}. This only forgets what the node kept about sessions other nodes serve now.
   */
  @Override
  public void processExpires() {
    TomcatGrid g = running;
    if (g != null) {
      g.prune();
    }
  }
}
