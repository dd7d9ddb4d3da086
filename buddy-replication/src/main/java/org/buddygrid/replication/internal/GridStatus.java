package org.buddygrid.replication.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.Member;
import org.buddygrid.core.Request;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.MemberStatus;
import org.buddygrid.replication.SessionLocation;

/**
 * Answers "how loaded are you" for dashboards ({@link StatusQuery}, one gather over the members)
 * and "where is this session" from what this node already knows. Read-only: it never changes a
 * session, an epoch or a location.
 */
public final class GridStatus {
  /** Asks a member for its {@link StatusReport}. */
  enum StatusQuery implements Request<StatusReport> {
    INSTANCE
  }

  /** A member's load and metrics, as it answers a {@link StatusQuery}. */
  record StatusReport(
      int ownedSessions, long backupCopies, int sessionsAtRisk, Map<String, Long> metrics) {}

  private final Engine engine;
  private final GridNode node;

  public GridStatus(Engine engine, GridNode node) {
    this.engine = engine;
    this.node = node;
    node.messenger()
        .onRequest(StatusQuery.class, (q, from) -> CompletableFuture.completedFuture(report()));
  }

  /** This node's own report. */
  StatusReport report() {
    Metrics metrics = node.metrics();
    Map<String, Long> values = new TreeMap<>(metrics.counters());
    values.putAll(metrics.gauges());
    return new StatusReport(
        engine.ownedCount(), engine.backupCount(), engine.atRiskCount(), values);
  }

  /**
   * Every member's status, in view order: this node's at once, the others' as they answer within
   * {@code timeout}. Members that did not answer in time are left out.
   */
  public CompletionStage<List<MemberStatus>> members(Duration timeout) {
    List<Member> view = node.view().members();
    Member self = node.localMember();
    List<Member> others = view.stream().filter(m -> !m.route().equals(self.route())).toList();
    CompletionStage<Map<Member, StatusReport>> replies =
        others.isEmpty()
            ? CompletableFuture.completedFuture(Map.of())
            : node.messenger()
                .gather(others, StatusQuery.INSTANCE, timeout)
                .thenApply(r -> r.replies());
    StatusReport own = report();
    return replies.thenApply(
        answered -> {
          List<MemberStatus> out = new ArrayList<>(view.size());
          for (Member m : view) {
            StatusReport r = m.route().equals(self.route()) ? own : answered.get(m);
            if (r != null) {
              out.add(
                  new MemberStatus(
                      m, r.ownedSessions(), r.backupCopies(), r.sessionsAtRisk(), r.metrics()));
            }
          }
          return out;
        });
  }

  /** Where {@code id} is, as this node knows it without asking: owner, backup copy, or hint. */
  public Optional<SessionLocation> locate(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    String base = parsed.get().base();
    OwnedSession s = engine.owned(base);
    if (s != null && s.state == OwnedSession.State.ACTIVE) {
      return Optional.of(
          new SessionLocation(engine.route(), s.backups, s.epoch, SessionLocation.Source.OWNER));
    }
    Optional<SessionLocation> copy =
        engine
            .backups()
            .holding(base)
            .map(
                h ->
                    new SessionLocation(
                        h.ownerRoute(), h.backups(), h.epoch(), SessionLocation.Source.BACKUP));
    if (copy.isPresent()) {
      return copy;
    }
    return engine
        .directory()
        .get(base)
        .map(
            e ->
                new SessionLocation(
                    e.owner(), e.backups(), e.epoch(), SessionLocation.Source.DIRECTORY));
  }
}
