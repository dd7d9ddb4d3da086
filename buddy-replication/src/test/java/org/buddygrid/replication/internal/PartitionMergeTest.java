package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.buddygrid.replication.internal.Messages.DigestEntry;
import org.junit.jupiter.api.Test;

/** The merge rule's order (PROTOCOL rule 9): decided the same way on both sides. */
class PartitionMergeTest {
  private static DigestEntry e(long epoch, long version, long lastAccess) {
    return new DigestEntry("id", epoch, version, lastAccess, List.of());
  }

  private static void assertWinner(DigestEntry a, String aRoute, DigestEntry b, String bRoute) {
    assertThat(PartitionMerge.wins(a, aRoute, b, bRoute)).isTrue();
    assertThat(PartitionMerge.wins(b, bRoute, a, aRoute)).isFalse();
  }

  @Test
  void theHigherEpochWinsWhateverTheVersionsAndAccessTimes() {
    assertWinner(e(2, 1, 0), "node9", e(1, 500, 99_999), "node1");
  }

  @Test
  void withinOneEpochTheHigherVersionWins() {
    assertWinner(e(1, 8, 0), "node9", e(1, 7, 99_999), "node1");
  }

  @Test
  void thenTheLaterLastAccessWins() {
    assertWinner(e(1, 7, 5_000), "node9", e(1, 7, 4_999), "node1");
  }

  @Test
  void thenTheLowerRouteWinsSoExactlyOneSideLoses() {
    assertWinner(e(1, 7, 5_000), "node1", e(1, 7, 5_000), "node2");
  }
}
