package org.buddygrid.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end harness's {@code --quick} run as a smoke test: node JVMs of every mode start,
 * every scenario produces figures for every mode, the failover run brings every session back, and
 * the report and charts are written. No timing is asserted: this machine is shared.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EndToEndBenchIT {

  @Test
  void theQuickRunMeasuresEveryModeInEveryScenario(@TempDir Path out) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    String[] args = {"--quick", "--out", out.toString()};
    EndToEndBench bench =
        new EndToEndBench(
            ToolArgs.parse(args, EndToEndBench.USAGE, "--quick"),
            "EndToEndBench --quick",
            new PrintStream(text, true, StandardCharsets.UTF_8));

    E2eReport report = bench.run();

    for (BenchMode m : BenchMode.values()) {
      for (String scenario : List.of("write", "read", "create")) {
        List<EndToEndBench.Window> rounds = report.rounds(scenario, m, 2);
        assertThat(rounds).as(scenario + " " + m.label).hasSize(bench.rounds);
        for (EndToEndBench.Window w : rounds) {
          assertThat(w.requests()).as(scenario + " " + m.label).isPositive();
          assertThat(w.failed()).as(scenario + " " + m.label + " failed").isZero();
          assertThat(w.cpuNanos()).as(scenario + " " + m.label + " CPU").isPositive();
          if (m.replicates() && !scenario.equals("read")) {
            assertThat(w.bytesPerUpdate()).as(scenario + " " + m.label + " bytes").isPositive();
          }
        }
      }
      assertThat(report.heaps).extracting(EndToEndBench.Heap::mode).contains(m);
    }
    for (BenchMode m : bench.scaleModes) {
      for (int n : bench.scaleNodes) {
        assertThat(report.rounds("scale", m, n)).as("scale " + m.label + " " + n).isNotEmpty();
      }
    }
    assertThat(report.failovers).hasSameSizeAs(bench.failoverModes);
    for (EndToEndBench.Failover f : report.failovers) {
      assertThat(f.recoverySeconds()).as(f.mode().label + " recovery").isNotNaN();
      assertThat(f.lostSessions()).as(f.mode().label + " lost sessions").isZero();
    }
    assertThat(Files.readString(report.markdownFile())).contains("| sync |", "| backup |");
    assertThat(out.resolve("throughput.png")).isNotEmptyFile();
    assertThat(out.resolve("scale-bytes.png")).isNotEmptyFile();
    assertThat(out.resolve("scale-cpu.png")).isNotEmptyFile();
  }
}
