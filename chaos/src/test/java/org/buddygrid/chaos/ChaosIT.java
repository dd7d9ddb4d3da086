package org.buddygrid.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos run of every build: three node processes with {@code backups=2} in SYNC, four
 * seeded cycles (seed 3: restart, kill, kill, restart), and not one acknowledged write lost. Double
 * kills are left out until the losses RELIABILITY-RESULTS.md reports for them are fixed. The long
 * runs are {@code chaos/run} (see chaos/README.md).
 */
class ChaosIT {
  @AfterEach
  void killChildren() {
    List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> p).join();
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void syncWithTwoBackupsLosesNoAcknowledgedWriteThroughKillsAndRestarts() throws Exception {
    ChaosOptions options =
        ChaosOptions.parse(
            "--quick",
            "--backups",
            "2",
            "--cycles",
            "4",
            "--seed",
            "3",
            "--faults",
            "kill,restart",
            "--jar",
            System.getProperty("buddygrid.demo.jar", "../demo/target/buddygrid-demo.jar"),
            "--logs",
            System.getProperty("buddygrid.chaos.logs", "target/chaos-logs"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    ChaosRun.Summary summary = new ChaosRun(options, out).run();
    String report = printed.toString(StandardCharsets.UTF_8) + ChaosMain.report(options, summary);
    System.out.println(report);

    assertThat(summary.faults().keySet()).as(report).hasSizeGreaterThanOrEqualTo(2);
    assertThat(summary.acknowledged()).as(report).isGreaterThan(200);
    assertThat(summary.unrecovered()).as(report).isZero();
    assertThat(summary.losses()).as(report).isEmpty();
    assertThat(summary.passed("SYNC")).isTrue();
  }
}
