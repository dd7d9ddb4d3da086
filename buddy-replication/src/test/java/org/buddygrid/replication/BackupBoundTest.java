package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code buddygrid.max-backup-bytes}: a full backup store refuses new copies and tells their owner,
 * which picks another buddy, or, when no member has room, keeps the session counted at risk, warns
 * once, and restores its copy when room frees. The store never drops a copy behind an owner's back
 * and its weight stays within the bound whatever the owners create.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackupBoundTest {
  private static final long BOUND = 1 << 20; // the smallest bound the builder allows
  private static final int VALUE = 100_000;

  private final Grids grids = new Grids();
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger engineLog = Logger.getLogger("org.buddygrid.replication.internal.Engine");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  BackupBoundTest() {
    engineLog.addHandler(capture);
  }

  @AfterEach
  void stop() {
    engineLog.removeHandler(capture);
    grids.close();
  }

  private static GridSession created(SessionGrid owner, int size, List<CommitResult> results) {
    GridSession s = owner.create();
    s.setAttribute("value", new byte[size]);
    results.add(s.commit());
    return s;
  }

  private static long weight(SessionGrid g) {
    return g.metrics().gaugeValue("backups.bytes");
  }

  @Test
  void aFullBackupRefusesNewCopiesAndTheOwnerPicksAnotherBuddy() {
    SessionGrid owner = grids.start("node1", b -> b);
    SessionGrid small = grids.start("node2", b -> b.maxBackupBytes(BOUND));
    SessionGrid large = grids.start("node3", b -> b);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> owner.node().view().size() == 3 && small.node().view().size() == 3);

    List<CommitResult> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      created(owner, VALUE, results);
      assertThat(weight(small)).isLessThanOrEqualTo(BOUND);
    }

    // Every commit found a buddy with room: none is at risk, every session has its copy.
    assertThat(results).containsOnly(CommitResult.REPLICATED);
    assertThat(owner.sessionsAtRisk()).isZero();
    assertThat(small.backupCopies() + large.backupCopies()).isEqualTo(40);
    assertThat(small.backupCopies()).isBetween(1L, BOUND / VALUE);
    assertThat(small.metrics().count("backups.refused-full")).isPositive();
    assertThat(owner.metrics().count("replicate.refused-full"))
        .isEqualTo(small.metrics().count("backups.refused-full"));
    assertThat(small.metrics().count("backups.removed.size")).isZero();
  }

  @Test
  void withNoRoomAnywhereSessionsAreAtRiskAndWarnedOfAndGetTheirCopyWhenRoomFrees() {
    SessionGrid owner = grids.start("node1", b -> b);
    SessionGrid backup = grids.start("node2", b -> b.maxBackupBytes(BOUND));
    await().atMost(Duration.ofSeconds(30)).until(() -> backup.node().view().size() == 2);

    List<CommitResult> results = new ArrayList<>();
    List<GridSession> sessions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sessions.add(created(owner, VALUE, results)); // never an exception to the application
    }

    long held = backup.backupCopies();
    assertThat(held).isBetween(1L, BOUND / VALUE);
    assertThat(results.stream().filter(r -> r == CommitResult.REPLICATED).count()).isEqualTo(held);
    assertThat(results.stream().filter(r -> r == CommitResult.AT_RISK).count())
        .isEqualTo(20 - held);
    assertThat(owner.sessionsAtRisk()).isEqualTo(20 - (int) held);
    assertThat(weight(backup)).isLessThanOrEqualTo(BOUND);
    assertThat(warnings)
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.getMessage() + " " + java.util.Arrays.toString(w.getParameters()))
                    .contains("buddygrid.max-backup-bytes", "add nodes", "node2"));

    // The sessions the backup holds end: room frees, and recovery gives the others their copies.
    int expected = 0;
    for (int i = 0; i < sessions.size(); i++) {
      if (results.get(i) == CommitResult.REPLICATED) {
        sessions.get(i).invalidate();
        sessions.get(i).commit();
      } else if (expected < held) {
        expected++;
      } else {
        sessions.get(i).invalidate(); // more than fit: end them too
        sessions.get(i).commit();
      }
    }
    int left = expected;
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(owner.sessionsAtRisk()).isZero();
              assertThat(backup.backupCopies()).isEqualTo(left);
            });
    assertThat(weight(backup)).isLessThanOrEqualTo(BOUND);
    assertThat(warnings).hasSize(1); // at most one warning a minute
  }

  @Test
  void aFloodOfSessionsFarBeyondTheBoundKeepsTheBackupWithinIt() {
    SessionGrid owner = grids.start("node1", b -> b);
    SessionGrid backup = grids.start("node2", b -> b.maxBackupBytes(BOUND));
    await().atMost(Duration.ofSeconds(30)).until(() -> backup.node().view().size() == 2);

    // 64 times what the backup may keep, in 2,000 sessions of 32 KiB.
    List<CommitResult> results = new ArrayList<>();
    long maxSeen = 0;
    for (int i = 0; i < 2_000; i++) {
      created(owner, 32 * 1024, results);
      maxSeen = Math.max(maxSeen, weight(backup));
    }
    long held = backup.backupCopies();

    assertThat(maxSeen).isLessThanOrEqualTo(BOUND);
    assertThat(held).isBetween(1L, BOUND / (32 * 1024));
    assertThat(owner.sessionsAtRisk()).isEqualTo(2_000 - (int) held);
    assertThat(backup.metrics().count("backups.refused-full")).isPositive();
    // A member that refused is passed over for a while, not sent 2,000 copies to refuse.
    assertThat(owner.metrics().count("replicate.full")).isLessThan(200);
    // Recovery keeps retrying at most once per pause; the bound holds meanwhile.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> weight(backup) <= BOUND && backup.backupCopies() == held);
  }
}
