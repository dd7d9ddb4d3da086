package org.buddygrid.core;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddygrid.core.internal.NodeRuntime;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.StackException;
import org.buddygrid.jgroups.Stacks;
import org.jgroups.JChannel;

/**
 * One member of a grid: a JGroups channel, the members it sees, and typed messaging with them.
 *
 * <p>A node runs on its own channel, made from a {@link JGroupsStack}, or on a channel the host
 * application hands in (a dedicated {@link JChannel} or a JGroups {@code ForkChannel} on a shared
 * one, as WildFly does). A handed-in channel is connected if it is not already, and is never closed
 * by the node.
 *
 * <p>{@link #start()} returns once this node is in a view with every member introduced; {@link
 * #close()} leaves the grid and is idempotent. Routes are unique in a grid: a node whose route is
 * held by an older member waits (up to the start timeout) for that member to leave, which lets a
 * crashed node restart before failure detection has removed its old incarnation.
 *
 * <p>Thread-safe. JGroups addresses never appear in this API: members are {@link Member}s.
 */
public final class GridNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GridNode.class.getName());

  private final Member local;
  private final String cluster;
  private final JGroupsStack stack;
  private final JChannel handedIn;
  private final WireCatalog catalog;
  private final Duration requestTimeout;
  private final Duration startTimeout;
  private final boolean jmx;
  private final Metrics metrics = new Metrics();
  private final NodeRuntime runtime;

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private State state = State.NEW;

  private GridNode(Builder b) {
    this.local = new Member(b.route, b.host, b.rack, b.zone);
    this.cluster = b.cluster;
    this.stack = b.stack;
    this.handedIn = b.channel;
    this.catalog = b.catalog;
    this.requestTimeout = b.requestTimeout;
    this.startTimeout = b.startTimeout;
    this.jmx = b.jmx;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("bg-timer-" + b.route));
    timer.setRemoveOnCancelPolicy(true);
    ExecutorService notifier =
        Executors.newSingleThreadExecutor(daemon("bg-membership-" + b.route));
    this.runtime =
        new NodeRuntime(local, cluster, catalog, metrics, requestTimeout, timer, notifier);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects and waits until this node is a member with every other member introduced.
   *
   * @return this node
   * @throws GridConfigurationException if the stack cannot be built (the message says which
   *     setting), or the route stays taken by another member
   * @throws GridException if the grid cannot be joined within the start timeout
   * @throws IllegalStateException if the node was started or closed before
   */
  public GridNode start() {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException(
            local.route() + ": a grid node starts once; it is " + state);
      }
      state = State.STARTING;
    }
    boolean ok = false;
    try {
      JChannel channel;
      try {
        channel = handedIn != null ? handedIn : stack.newChannel();
      } catch (StackException e) {
        throw new GridConfigurationException(e.getMessage(), e);
      }
      runtime.connect(channel, handedIn == null, cluster);
      try {
        runtime.ready().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        String conflict = runtime.routeConflict();
        if (conflict != null) {
          throw new GridConfigurationException(
              "route "
                  + local.route()
                  + " is already used by another member of cluster "
                  + cluster
                  + " ("
                  + conflict
                  + ") and it did not leave within "
                  + startTimeout.toSeconds()
                  + " s: give each node a unique route");
        }
        throw new GridException(
            local.route()
                + ": did not complete joining cluster "
                + cluster
                + " within "
                + startTimeout.toSeconds()
                + " s (view so far: "
                + runtime.view().members()
                + ")");
      } catch (ExecutionException e) {
        throw new GridException(
            local.route() + ": could not join cluster " + cluster, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GridException(
            local.route() + ": interrupted while joining cluster " + cluster, e);
      }
      if (jmx) {
        runtime.registerJmx();
      }
      synchronized (this) {
        state = State.RUNNING;
      }
      ok = true;
      LOG.log(Level.INFO, "{0}: joined cluster {1}, view {2}", local, cluster, view().members());
      return this;
    } catch (GridException e) {
      throw e;
    } catch (Exception e) {
      throw new GridException(local.route() + ": could not start: " + e.getMessage(), e);
    } finally {
      if (!ok) {
        shutdown();
      }
    }
  }

  /** Leaves the grid. Idempotent; a node cannot be started again after it. */
  @Override
  public void close() {
    shutdown();
  }

  private void shutdown() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    runtime.close();
  }

  /** Whether {@link #start()} completed and {@link #close()} was not called. */
  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  /** This node as the others see it. */
  public Member localMember() {
    return local;
  }

  public String route() {
    return local.route();
  }

  public String cluster() {
    return cluster;
  }

  /** The current view; before the node has started, an empty view with id 0. */
  public GridView view() {
    return runtime.view();
  }

  /** The member with this route in the current view. */
  public Optional<Member> member(String route) {
    return view().member(route);
  }

  /** Typed messaging with the other members. */
  public Messenger messenger() {
    return runtime.messenger();
  }

  /** This node's counters and timers (also over JMX as {@code org.buddygrid:type=Grid,...}). */
  public Metrics metrics() {
    return metrics;
  }

  /** The default timeout of requests. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * Adds a listener told of every later view change, in order. Listeners added before {@link
   * #start()} also see the first view.
   */
  public void addMembershipListener(MembershipListener listener) {
    runtime.addListener(Objects.requireNonNull(listener, "listener"));
  }

  public void removeMembershipListener(MembershipListener listener) {
    runtime.removeListener(listener);
  }

  /**
   * The underlying channel, for diagnostics and fault injection in tests (inserting {@code
   * DISCARD}, reading protocol statistics). Sending on it directly bypasses every guarantee of this
   * class.
   */
  public JChannel channel() {
    return runtime.channel();
  }

  @Override
  public String toString() {
    return "GridNode[" + local.route() + "@" + cluster + "]";
  }

  /**
   * Settings of a {@link GridNode}. Each setter checks its value at once; {@link #build()} checks
   * that they fit together.
   */
  public static final class Builder {
    private String route;
    private String host = defaultHost();
    private String rack = "";
    private String zone = "";
    private String cluster = "buddygrid";
    private JGroupsStack stack;
    private JChannel channel;
    private WireCatalog catalog = WireCatalog.empty();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration startTimeout = Duration.ofSeconds(30);
    private boolean jmx = true;

    private Builder() {}

    private static String defaultHost() {
      try {
        String name = InetAddress.getLocalHost().getHostName();
        String clean = name.replaceAll("[^\\p{Alnum}._:-]", "-");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
      } catch (Exception e) {
        return "";
      }
    }

    /** This node's route: required, unique in the grid, 1-32 of {@code [A-Za-z0-9_-]}. */
    public Builder route(String route) {
      this.route = Member.requireValidRoute(route);
      return this;
    }

    /**
     * The host tag (default: this machine's host name). Nodes on one host are never each other's
     * only backup when avoidable.
     */
    public Builder host(String host) {
      this.host = validTag(host, "host");
      return this;
    }

    /** The rack tag (default: none). */
    public Builder rack(String rack) {
      this.rack = validTag(rack, "rack");
      return this;
    }

    /** The zone tag (default: none). */
    public Builder zone(String zone) {
      this.zone = validTag(zone, "zone");
      return this;
    }

    private static String validTag(String value, String what) {
      return Member.requireValidTag(what, value);
    }

    /**
     * The cluster name: nodes with the same name and stack form one grid (default {@code
     * buddygrid}).
     */
    public Builder cluster(String cluster) {
      if (cluster == null || cluster.isBlank() || cluster.length() > 200) {
        throw new GridConfigurationException(
            "cluster name must be 1 to 200 characters, was "
                + (cluster == null ? "null" : "\"" + cluster + "\""));
      }
      this.cluster = cluster;
      return this;
    }

    /** Run on a new channel made from this stack (default: {@link Stacks#tcp()}). */
    public Builder stack(JGroupsStack stack) {
      this.stack = Objects.requireNonNull(stack, "stack");
      return this;
    }

    /** Run on a channel the host application made (a dedicated channel or a fork channel). */
    public Builder channel(JChannel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** The message types this node sends and receives besides grid-core's own. */
    public Builder catalog(WireCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** How long a request waits for its reply by default (default 10 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** How long {@link GridNode#start()} waits to be a member (default 30 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive(timeout, "start timeout");
      return this;
    }

    /** Whether to register metrics over JMX (default true). */
    public Builder jmx(boolean jmx) {
      this.jmx = jmx;
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new GridConfigurationException(what + " must be positive, was " + d);
      }
      return d;
    }

    /**
     * @throws GridConfigurationException if the route is missing, or both a stack and a channel
     *     were given
     */
    public GridNode build() {
      if (route == null) {
        throw new GridConfigurationException(
            "a grid node needs a route: set it (for example node1)");
      }
      if (stack != null && channel != null) {
        throw new GridConfigurationException("give a grid node a stack or a channel, not both");
      }
      if (stack == null && channel == null) {
        stack = Stacks.tcp();
      }
      return new GridNode(this);
    }
  }
}
