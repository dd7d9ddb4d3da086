package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.core.testing.FrameFilter;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rows of the bad-input catalogue (RELIABILITY-RESULTS.md) that need a running grid and had no test
 * of their own: a truncated delta (row 1) and lost location broadcasts (row 14).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputCatalogueTest {
  /** The kinds under which a frame that does not decode is counted. */
  private static final List<String> DECODE_REJECTIONS =
      List.of(
          "truncated",
          "too-long",
          "bad-varint",
          "bad-utf8",
          "invalid-value",
          "unknown-type",
          "unsupported-version",
          "trailing-bytes");

  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  private static long decodeRejections(Metrics m) {
    return DECODE_REJECTIONS.stream().mapToLong(k -> m.count("wire.rejected." + k)).sum();
  }

  /** Row 1: every cut of a real delta is dropped and counted; the backup copy is unchanged. */
  @Test
  void aTruncatedDeltaIsDroppedAndCountedAndTheBackupIsUnchanged() throws Exception {
    List<SessionGrid> g = grids.startAll(2, b -> b.timing(Timing.ASYNC));
    SessionGrid owner = g.get(0);
    SessionGrid backup = g.get(1);
    GridSession s = owner.create();
    s.setAttribute("n", 1);
    s.commit();
    await().atMost(Duration.ofSeconds(10)).until(() -> backup.backupCopies() == 1);

    // The next delta (n = 2) never reaches the backup whole: we keep it and cut it.
    int replicate = ReplicationCatalog.catalog().typeId(Replicate.class);
    byte[] delta;
    try (FrameFilter lost = FrameFilter.drop(backup.node(), replicate, owner.node())) {
      GridSession again = owner.open(s.id()).orElseThrow();
      again.setAttribute("n", 2);
      again.commit();
      await().atMost(Duration.ofSeconds(10)).until(() -> !lost.dropped().isEmpty());
      delta = lost.dropped().get(0);

      long before = decodeRejections(backup.metrics());
      try (JChannel stranger = Stacks.loopback().newChannel()) {
        stranger.connect(grids.cluster());
        await().atMost(Duration.ofSeconds(10)).until(() -> stranger.getView().size() == 3);
        Address to = backup.node().channel().getAddress();
        try (MessageDispatcher d = new MessageDispatcher(stranger)) {
          for (int length = 1; length < delta.length; length++) {
            d.sendMessage(
                new BytesMessage(to, Arrays.copyOf(delta, length)), RequestOptions.ASYNC());
          }
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> decodeRejections(backup.metrics()) - before == delta.length - 1);
        // None decoded: a decoded one would have been counted as coming from a non-member.
        assertThat(backup.metrics().count("wire.rejected.non-member")).isZero();
      }

      // The owner dies with the filter still in place: the backup's copy is all that is left.
      owner.closeAbruptly();
      await().atMost(Duration.ofSeconds(20)).until(() -> backup.node().view().size() == 1);
      GridSession survivor = backup.open(s.id()).orElseThrow();
      assertThat(survivor.getAttribute("n")).isEqualTo(1);
    }
  }

  /**
   * Row 14: a node that lost every location broadcast still finds a session that moved, by asking
   * who holds it, within the lookup timeout.
   */
  @Test
  void lostLocationBroadcastsAreMadeUpForByAskingWhoHolds() {
    List<SessionGrid> g = grids.startAll(3, UnaryOperator.identity());
    int locations = ReplicationCatalog.catalog().typeId(Locations.class);
    try (FrameFilter lost = FrameFilter.drop(g.get(2).node(), locations)) {
      GridSession s = g.get(0).create();
      s.setAttribute("v", "first");
      s.commit();
      g.get(0).flush();
      // It moves to node2, which broadcasts that too; node3 hears neither.
      GridSession moved = g.get(1).open(s.id()).orElseThrow();
      moved.setAttribute("v", "second");
      moved.commit();
      g.get(1).flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> lost.dropped().size() >= 2);
      assertThat(g.get(2).metrics().gaugeValue("directory.entries")).isZero();

      long queries = g.get(2).metrics().count("whohas.queries");
      GridSession three = g.get(2).open(s.id()).orElseThrow();
      assertThat(three.getAttribute("v")).isEqualTo("second");
      assertThat(g.get(2).metrics().count("whohas.queries")).isGreaterThan(queries);
      assertThat(g.get(2).ownedSessionIds()).contains(three.id());
    }
  }
}
