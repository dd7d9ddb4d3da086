package org.buddygrid.demo.grid;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.buddygrid.core.Member;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.MemberStatus;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.SessionListener;

/**
 * This node's running picture of the grid for the dashboard: every member's status sampled once a
 * second ({@link SessionGrid#memberStatuses}), traffic rates from counter differences, and the
 * events seen (members joining and leaving, sessions taken over, promoted, handed over).
 * Thread-safe; sampling runs on its own daemon thread and never blocks a request.
 */
public final class GridMonitor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GridMonitor.class.getName());
  private static final int MAX_EVENTS = 60;
  private static final long RATE_WINDOW_MS = 3_000;
  private static final int TRAFFIC_SAMPLES = 60;

  /** Counters whose increase is an event worth showing, with its kind and wording. */
  private record Watched(String counter, String kind, String what) {}

  private static final List<Watched> WATCHED =
      List.of(
          new Watched("takeovers", "takeover", "took over %d session(s) on request"),
          new Watched(
              "recovery.promoted",
              "promoted",
              "promoted %d backup copy(ies) to owner after a member left"),
          new Watched(
              "handoffs.received", "handoff", "received %d session(s) from a stopping member"));

  /** One member as last sampled. */
  public record MemberView(
      Member member,
      boolean inView,
      long lastSeen,
      Optional<MemberStatus> status,
      double requestsPerSecond,
      double commitsPerSecond,
      double replicationsPerSecond) {}

  private record Sample(long time, Map<String, Long> metrics) {}

  private final SessionGrid grid;
  private final LongSupplier clock;
  private final ScheduledExecutorService sampler;
  private final Map<String, Deque<Sample>> history = new HashMap<>();
  private final Map<String, MemberView> members = new LinkedHashMap<>();
  private final Deque<GridEvent> events = new ArrayDeque<>();
  private final Deque<Double> traffic = new ArrayDeque<>();
  private final ThreadLocal<String> requestedRoute = new ThreadLocal<>();

  private GridMonitor(SessionGrid grid, LongSupplier clock) {
    this.grid = grid;
    this.clock = clock;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "demo-grid-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts sampling {@code grid} every {@code interval}. */
  public static GridMonitor start(SessionGrid grid, Duration interval) {
    GridMonitor m = new GridMonitor(grid, System::currentTimeMillis);
    grid.node().addMembershipListener(m::viewChanged);
    grid.addListener(
        new SessionListener() {
          @Override
          public void sessionDidActivate(GridSession session) {
            m.activated(session.id());
          }
        });
    m.sampler.scheduleWithFixedDelay(
        m::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return m;
  }

  /** A monitor that samples nothing by itself: tests feed it with {@link #record}. */
  static GridMonitor manual(SessionGrid grid, LongSupplier clock) {
    return new GridMonitor(grid, clock);
  }

  /**
   * Notes the route of the session id the current request came with, until {@link #requestEnded()}:
   * a takeover during the request is then reported with the node the session came from.
   */
  public void requestStarted(String requestedSessionId) {
    requestedRoute.set(
        requestedSessionId == null
            ? null
            : SessionId.parse(requestedSessionId).map(SessionId::route).orElse(null));
  }

  /** The current request ended. */
  public void requestEnded() {
    requestedRoute.remove();
  }

  private void sampleQuietly() {
    try {
      List<MemberStatus> statuses =
          grid.memberStatuses(Duration.ofMillis(800))
              .toCompletableFuture()
              .get(2, TimeUnit.SECONDS);
      record(statuses);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "grid sample failed", e);
    }
  }

  /** Takes in one round of statuses: rates, counter events, members' last-seen times. */
  synchronized void record(List<MemberStatus> statuses) {
    long now = clock.getAsLong();
    for (MemberStatus s : statuses) {
      String route = s.member().route();
      Deque<Sample> h = history.computeIfAbsent(route, r -> new ArrayDeque<>());
      Sample last = h.peekLast();
      if (last != null) {
        for (Watched w : WATCHED) {
          if (w.kind().equals("takeover") && route.equals(grid.route())) {
            continue; // this node reports its own takeovers one by one, with their origin
          }
          long before = last.metrics().getOrDefault(w.counter(), 0L);
          long after = s.metric(w.counter());
          if (after > before) {
            add(
                new GridEvent(
                    now,
                    w.kind(),
                    route,
                    route + " " + String.format(w.what(), after - before),
                    route + ":" + w.counter() + ":" + after));
          }
        }
      }
      h.addLast(new Sample(now, s.metrics()));
      while (h.size() > 2 && now - h.peekFirst().time() > RATE_WINDOW_MS) {
        h.removeFirst();
      }
      Sample first = h.peekFirst();
      double seconds = Math.max(0.001, (now - first.time()) / 1000.0);
      members.put(
          route,
          new MemberView(
              s.member(),
              true,
              now,
              Optional.of(s),
              rate(first, s, seconds, "demo.requests"),
              rate(first, s, seconds, "commits.changed"),
              rate(first, s, seconds, "replicate.delta")
                  + rate(first, s, seconds, "replicate.full")));
    }
    double total = 0;
    for (MemberStatus s : statuses) {
      total += members.get(s.member().route()).requestsPerSecond();
    }
    traffic.addLast(total);
    while (traffic.size() > TRAFFIC_SAMPLES) {
      traffic.removeFirst();
    }
  }

  /** The shop's requests per second over the whole grid, one value per sample, oldest first. */
  public synchronized List<Double> traffic() {
    return List.copyOf(traffic);
  }

  private static double rate(Sample first, MemberStatus now, double seconds, String counter) {
    if (first.metrics() == now.metrics()) {
      return 0;
    }
    return Math.max(0, now.metric(counter) - first.metrics().getOrDefault(counter, 0L)) / seconds;
  }

  synchronized void viewChanged(ViewChange change) {
    long now = clock.getAsLong();
    for (Member m : change.left()) {
      MemberView old = members.get(m.route());
      members.put(
          m.route(),
          old == null
              ? new MemberView(m, false, now, Optional.empty(), 0, 0, 0)
              : new MemberView(m, false, old.lastSeen(), old.status(), 0, 0, 0));
      history.remove(m.route());
      add(
          new GridEvent(
              now,
              "left",
              m.route(),
              m.route() + " left the grid (crashed, stopped or cut off)",
              "left:" + change.current().id() + ":" + m.route()));
    }
    for (Member m : change.joined()) {
      if (m.route().equals(grid.route()) && change.previous().members().isEmpty()) {
        continue; // this node's own start
      }
      members.putIfAbsent(m.route(), new MemberView(m, true, now, Optional.empty(), 0, 0, 0));
      add(
          new GridEvent(
              now,
              "joined",
              m.route(),
              m.route() + " joined the grid",
              "joined:" + change.current().id() + ":" + m.route()));
    }
  }

  /** A session became owned here (takeover, promotion or hand-off). */
  void activated(String sessionId) {
    String from = requestedRoute.get();
    if (from == null || from.equals(grid.route())) {
      return; // promotions and hand-offs are reported from the counters
    }
    String shortId = SessionId.parse(sessionId).map(id -> id.base().substring(0, 6)).orElse("?");
    synchronized (this) {
      add(
          new GridEvent(
              clock.getAsLong(),
              "takeover",
              grid.route(),
              "session "
                  + shortId
                  + "\u2026 moved "
                  + from
                  + " \u2192 "
                  + grid.route()
                  + " (taken over on request)",
              "takeover:" + grid.route() + ":" + sessionId));
    }
  }

  private void add(GridEvent e) {
    events.addFirst(e);
    while (events.size() > MAX_EVENTS) {
      events.removeLast();
    }
    LOG.log(Level.INFO, "{0}: {1}", grid.route(), e.text());
  }

  /** The members known, in the order first seen; current members first. */
  public synchronized List<MemberView> members() {
    List<MemberView> out = new ArrayList<>();
    for (Member m : grid.node().view().members()) {
      MemberView v = members.get(m.route());
      out.add(
          v == null
              ? new MemberView(m, true, clock.getAsLong(), Optional.empty(), 0, 0, 0)
              : new MemberView(
                  m,
                  true,
                  v.lastSeen(),
                  v.status(),
                  v.requestsPerSecond(),
                  v.commitsPerSecond(),
                  v.replicationsPerSecond()));
    }
    for (MemberView v : members.values()) {
      if (!grid.node().view().contains(v.member().route())) {
        out.add(new MemberView(v.member(), false, v.lastSeen(), v.status(), 0, 0, 0));
      }
    }
    return out;
  }

  /** The events seen, newest first. */
  public synchronized List<GridEvent> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
