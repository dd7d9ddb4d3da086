package org.buddygrid.demo.grid;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddygrid.demo.DemoNode;
import org.buddygrid.demo.Http;
import org.buddygrid.demo.Json;
import org.buddygrid.replication.MemberStatus;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.SessionLocation;

/**
 * {@code GET /grid/api/state}: this node's view of the grid as JSON, for the dashboard and scripts.
 * Every member's owned sessions, backups, sessions at risk and traffic come from the grid itself
 * (each member answers a status query, sampled once a second), so any node can draw the whole grid.
 * It never touches the caller's session: {@code you} is located from what this node knows, without
 * a takeover.
 */
public final class StateServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Counters shown per member. */
  static final List<String> COUNTERS =
      List.of(
          "sessions.created",
          "commits.changed",
          "commits.at-risk",
          "replicate.delta",
          "replicate.full",
          "takeovers",
          "recovery.promoted",
          "recovery.pending",
          "handoffs.sent",
          "handoffs.received",
          "sessions.lost-ownership",
          "merge.conflicts",
          "demo.requests");

  private final transient DemoNode node;
  private final transient LauncherClient launcher;

  public StateServlet(DemoNode node, LauncherClient launcher) {
    this.node = node;
    this.launcher = launcher;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("servedBy", node.options().route());
    state.put("cluster", node.options().cluster());
    state.put("mode", node.options().mode());
    state.put("timing", node.options().timing());
    state.put("backupsPerSession", node.options().backups());
    state.put("time", System.currentTimeMillis());
    Optional<SessionGrid> grid = node.grid();
    state.put("gridAvailable", grid.isPresent());
    List<Map<String, Object>> members = new ArrayList<>();
    long owned = 0;
    long backups = 0;
    long atRisk = 0;
    double rps = 0;
    if (node.monitor().isPresent()) {
      for (GridMonitor.MemberView v : node.monitor().get().members()) {
        members.add(member(v));
        if (v.inView() && v.status().isPresent()) {
          owned += v.status().get().ownedSessions();
          backups += v.status().get().backupCopies();
          atRisk += v.status().get().sessionsAtRisk();
          rps += v.requestsPerSecond();
        }
      }
    }
    state.put("members", members);
    state.put(
        "totals",
        Map.of("owned", owned, "backups", backups, "atRisk", atRisk, "requestsPerSecond", rps));
    state.put("traffic", node.monitor().map(GridMonitor::traffic).orElse(List.of()));
    state.put("you", you(req.getRequestedSessionId(), grid));
    List<Map<String, Object>> events = new ArrayList<>();
    node.monitor().ifPresent(m -> m.events().forEach(e -> events.add(e.toJson())));
    state.put("events", events);
    Map<String, Object> control = new LinkedHashMap<>();
    control.put("available", launcher.available());
    // The launcher's process list is JSON already: passed on as it is.
    control.put("processes", new Json.Raw(launcher.nodes().orElse("[]")));
    state.put("control", control);
    Http.json(resp, 200, state);
  }

  private Map<String, Object> member(GridMonitor.MemberView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("route", v.member().route());
    m.put("host", v.member().host());
    m.put("rack", v.member().rack());
    m.put("zone", v.member().zone());
    m.put("self", v.member().route().equals(node.options().route()));
    m.put("inView", v.inView());
    m.put("lastSeen", v.lastSeen());
    m.put("answered", v.status().isPresent());
    m.put("owned", v.status().map(MemberStatus::ownedSessions).orElse(0));
    m.put("backups", v.status().map(MemberStatus::backupCopies).orElse(0L));
    m.put("atRisk", v.status().map(MemberStatus::sessionsAtRisk).orElse(0));
    m.put("requestsPerSecond", v.requestsPerSecond());
    m.put("commitsPerSecond", v.commitsPerSecond());
    m.put("replicationsPerSecond", v.replicationsPerSecond());
    Map<String, Object> counters = new LinkedHashMap<>();
    for (String c : COUNTERS) {
      counters.put(c, v.status().map(s -> s.metric(c)).orElse(0L));
    }
    m.put("counters", counters);
    return m;
  }

  private static Object you(String requested, Optional<SessionGrid> grid) {
    if (requested == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessionId", requested);
    Optional<SessionLocation> where = grid.flatMap(g -> g.locate(requested));
    m.put("known", where.isPresent());
    where.ifPresent(
        l -> {
          m.put("owner", l.owner());
          m.put("backups", l.backups());
          m.put("epoch", l.epoch());
          m.put("source", l.source().name().toLowerCase(java.util.Locale.ROOT));
          m.put("ownerInView", grid.get().node().view().contains(l.owner()));
        });
    return m;
  }
}
