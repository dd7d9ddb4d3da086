package org.buddygrid.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.buddygrid.benchmarks.EndToEndBench.Failover;
import org.buddygrid.benchmarks.EndToEndBench.Heap;
import org.buddygrid.benchmarks.EndToEndBench.Window;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * What {@link EndToEndBench} measured, as markdown tables ({@code results.md}) and PNG charts: per
 * scenario and mode the median over the rounds with the min-max spread, ratios against each peer
 * and the targets of BENCHMARKS.md.
 */
final class E2eReport {
  private final EndToEndBench bench;
  final List<Window> windows = new ArrayList<>();
  final List<Heap> heaps = new ArrayList<>();
  final List<Failover> failovers = new ArrayList<>();
  String loadBefore = "";
  String loadAfter = "";

  E2eReport(EndToEndBench bench) {
    this.bench = bench;
  }

  Path markdownFile() {
    return bench.out.resolve("results.md");
  }

  /** The rounds of {@code mode} in {@code scenario} (and {@code nodes} for the scale run). */
  List<Window> rounds(String scenario, BenchMode mode, int nodes) {
    return windows.stream()
        .filter(w -> w.scenario().equals(scenario) && w.mode() == mode && w.nodes() == nodes)
        .toList();
  }

  static double median(List<Window> ws, ToDoubleFunction<Window> f) {
    List<Double> v = new ArrayList<>();
    ws.forEach(w -> v.add(f.applyAsDouble(w)));
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static String spread(List<Window> ws, ToDoubleFunction<Window> f, String format) {
    double min = ws.stream().mapToDouble(f).min().orElse(Double.NaN);
    double max = ws.stream().mapToDouble(f).max().orElse(Double.NaN);
    return fmt(format, median(ws, f)) + " [" + fmt(format, min) + "-" + fmt(format, max) + "]";
  }

  private static String fmt(String format, double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
  }

  void write() throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# End-to-end results\n\n");
    md.append("Command: `").append(bench.commandLine).append("`  \n");
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, ")
        .append(cpuModel())
        .append(", Java ")
        .append(System.getProperty("java.version"))
        .append("; load average (1/5/15 min) before ")
        .append(loadBefore)
        .append(", after ")
        .append(loadAfter)
        .append("  \n");
    md.append("Rounds: ")
        .append(bench.rounds)
        .append(" x ")
        .append(bench.seconds)
        .append(" s per mode, interleaved (order rotated each round), after ")
        .append(bench.warmup)
        .append(" s warm-up; ")
        .append(bench.clients)
        .append(" closed-loop clients (keep-alive, one thread each, no think time, not corrected")
        .append(" for coordinated omission), ")
        .append(bench.sessions)
        .append(" sessions each. Figures: median [min-max] over the rounds.\n\n");
    md.append("Modes:\n\n");
    for (BenchMode m : bench.modes) {
      md.append("- `").append(m.label).append("`: ").append(m.description()).append('\n');
    }
    md.append('\n');
    String[][] scenarios = {
      {"write", "1. Write-heavy: each request changes a 4-byte counter of a session of 20 x 1 KB"},
      {"read", "2. Read-mostly: 9 requests in 10 read, 1 in 10 changes the counter"},
      {"create", "3. Create-heavy: every request creates a session (2 small attributes)"}
    };
    for (String[] s : scenarios) {
      if (windows.stream().anyMatch(w -> w.scenario().equals(s[0]))) {
        scenarioTable(md, s[0], s[1]);
      }
    }
    if (windows.stream().anyMatch(w -> w.scenario().equals("write"))) {
      targets(md);
    }
    if (!heaps.isEmpty()) {
      md.append("## Heap per session (2 nodes, sessions of 20 x 1 KB created on node 0)\n\n");
      md.append(
          "GC'd heap growth (two `System.gc()`, then `MemoryMXBean` heap used) over "
              + heaps.get(0).sessions()
              + " sessions, divided by their count. Strings of 1,000 ASCII characters are 1,000"
              + " bytes each in the heap (compact strings), ~20 KB of attribute data per"
              + " session.\n\n");
      md.append(
          "| mode | owner (B/session) | backup (B/session) | sessions node 1 reports holding |\n"
              + "|---|---:|---:|---:|\n");
      for (Heap h : heaps) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,.0f | %,.0f | %d |%n",
                h.mode().label,
                h.ownerBytes(),
                h.backupBytes(),
                h.copiesOnBackup()));
      }
      md.append('\n');
    }
    if (windows.stream().anyMatch(w -> w.scenario().equals("scale"))) {
      scaleTable(md);
    }
    if (!failovers.isEmpty()) {
      md.append("## 5. Failover: kill -9 of one of 3 nodes under write-heavy load\n\n");
      md.append(
          "Clients of the dead node move to a survivor on the first failed request (as a"
              + " balancer does). Recovery: from the kill until every session of the dead node was"
              + " answered again. Lost session: a request answered with a new session. Lost"
              + " update: a counter that did not continue.\n\n");
      md.append(
          "| mode | sessions on the dead node | recovery (s) | failed requests | lost sessions |"
              + " lost updates | p99 (ms) | requests |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Failover f : failovers) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.3f | %d | %d | %d | %.1f | %d |%n",
                f.mode().label,
                f.sessionsOnDeadNode(),
                f.recoverySeconds(),
                f.failed(),
                f.lostSessions(),
                f.lostUpdates(),
                f.p99Millis(),
                f.requests()));
      }
      md.append('\n');
    }
    Files.writeString(markdownFile(), md.toString());
    charts();
  }

  private void scenarioTable(StringBuilder md, String scenario, String title) {
    md.append("## ").append(title).append("\n\n");
    md.append(
        "| mode | req/s | vs none | p50 (us) | p99 (us) | CPU (us/req, all nodes) |"
            + " bytes/update | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    double none = median(rounds(scenario, BenchMode.NONE, 2), Window::perSecond);
    for (BenchMode m : bench.modes) {
      List<Window> ws = rounds(scenario, m, 2);
      if (ws.isEmpty()) {
        continue;
      }
      md.append("| ")
          .append(m.label)
          .append(" | ")
          .append(spread(ws, Window::perSecond, "%,.0f"))
          .append(" | ")
          .append(fmt("%.2fx", median(ws, Window::perSecond) / none))
          .append(" | ")
          .append(spread(ws, w -> w.micros(50), "%,.0f"))
          .append(" | ")
          .append(spread(ws, w -> w.micros(99), "%,.0f"))
          .append(" | ")
          .append(spread(ws, Window::cpuMicrosPerRequest, "%,.1f"))
          .append(" | ")
          .append(m.replicates() ? spread(ws, Window::bytesPerUpdate, "%,.0f") : "0")
          .append(" | ")
          .append(ws.stream().mapToLong(Window::failed).sum())
          .append(" |\n");
    }
    md.append('\n');
  }

  private Optional<Double> ratio(String scenario, BenchMode a, BenchMode b) {
    double x = median(rounds(scenario, a, 2), Window::perSecond);
    double y = median(rounds(scenario, b, 2), Window::perSecond);
    return Double.isNaN(x) || Double.isNaN(y) ? Optional.empty() : Optional.of(x / y);
  }

  private void targets(StringBuilder md) {
    md.append("### Ratios (write-heavy, medians) against the targets\n\n");
    md.append("| figure | measured | target | met |\n|---|---:|---:|---|\n");
    target(md, "SYNC req/s vs BackupManager", ratio("write", BenchMode.SYNC, BenchMode.BACKUP), 2);
    target(md, "SYNC req/s vs DeltaManager", ratio("write", BenchMode.SYNC, BenchMode.DELTA), -1);
    target(md, "SYNC req/s vs no replication", ratio("write", BenchMode.SYNC, BenchMode.NONE), .5);
    target(
        md, "ASYNC req/s vs no replication", ratio("write", BenchMode.ASYNC, BenchMode.NONE), .8);
    target(
        md,
        "INTERVAL req/s vs no replication",
        ratio("write", BenchMode.INTERVAL, BenchMode.NONE),
        -1);
    target(
        md,
        "SYNC Tomcat mode vs SYNC filter mode",
        ratio("write", BenchMode.SYNC_TOMCAT, BenchMode.SYNC),
        -1);
    double bytes = median(rounds("write", BenchMode.SYNC, 2), Window::bytesPerUpdate);
    if (!Double.isNaN(bytes)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| SYNC bytes per update (4-byte change, request + ack) | %.0f B | <= 120 B | %s |%n",
              bytes,
              bytes <= 120 ? "yes" : "no"));
    }
    md.append('\n');
  }

  private static void target(StringBuilder md, String name, Optional<Double> r, double target) {
    if (r.isEmpty()) {
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.2fx | %s | %s |%n",
            name,
            r.get(),
            target < 0 ? "-" : String.format(Locale.ROOT, ">= %.1fx", target),
            target < 0 ? "-" : r.get() >= target ? "yes" : "no"));
  }

  private void scaleTable(StringBuilder md) {
    md.append("## 4. Scale: write-heavy on 2 to ")
        .append(Collections.max(bench.scaleNodes))
        .append(" nodes (-Xmx256m each)\n\n");
    md.append(
        "Bytes and CPU per update: all nodes' wire bytes (CPU time) over the window divided by"
            + " the updates served; the same total load (clients) spread over the nodes. Per node"
            + " and update this is the figure divided by the node count.\n\n");
    md.append(
        "| mode | nodes | req/s | bytes/update | bytes/update/node | CPU (us/update) |"
            + " CPU/node (us/update) |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (BenchMode m : bench.scaleModes) {
      for (int n : bench.scaleNodes) {
        List<Window> ws = rounds("scale", m, n);
        if (ws.isEmpty()) {
          continue;
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s | %s |%n",
                m.label,
                n,
                spread(ws, Window::perSecond, "%,.0f"),
                spread(ws, Window::bytesPerUpdate, "%,.0f"),
                fmt("%,.0f", median(ws, Window::bytesPerUpdate) / n),
                spread(ws, Window::cpuMicrosPerUpdate, "%,.1f"),
                fmt("%,.1f", median(ws, Window::cpuMicrosPerUpdate) / n)));
      }
    }
    md.append('\n');
  }

  private void charts() throws IOException {
    List<String> scenarioNames = new ArrayList<>();
    for (String s : List.of("write", "read", "create")) {
      if (windows.stream().anyMatch(w -> w.scenario().equals(s))) {
        scenarioNames.add(s);
      }
    }
    if (!scenarioNames.isEmpty()) {
      CategoryChart c =
          new CategoryChartBuilder()
              .width(900)
              .height(500)
              .title("Throughput per mode (2 nodes, median of rounds)")
              .xAxisTitle("scenario")
              .yAxisTitle("requests per second")
              .build();
      c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      for (BenchMode m : bench.modes) {
        List<Double> ys = new ArrayList<>();
        for (String s : scenarioNames) {
          double v = median(rounds(s, m, 2), Window::perSecond);
          ys.add(Double.isNaN(v) ? 0 : v);
        }
        c.addSeries(m.label, scenarioNames, ys);
      }
      BitmapEncoder.saveBitmap(
          c, bench.out.resolve("throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    if (windows.stream().anyMatch(w -> w.scenario().equals("scale"))) {
      Map<String, ToDoubleFunction<Window>> figures = new LinkedHashMap<>();
      figures.put("bytes per update", Window::bytesPerUpdate);
      figures.put("CPU us per update (all nodes)", Window::cpuMicrosPerUpdate);
      for (Map.Entry<String, ToDoubleFunction<Window>> f : figures.entrySet()) {
        XYChart c =
            new XYChartBuilder()
                .width(800)
                .height(500)
                .title(f.getKey() + " against node count (write-heavy)")
                .xAxisTitle("nodes")
                .yAxisTitle(f.getKey())
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (BenchMode m : bench.scaleModes) {
          List<Integer> xs = new ArrayList<>();
          List<Double> ys = new ArrayList<>();
          for (int n : bench.scaleNodes) {
            double v = median(rounds("scale", m, n), f.getValue());
            if (!Double.isNaN(v)) {
              xs.add(n);
              ys.add(v);
            }
          }
          if (!xs.isEmpty()) {
            c.addSeries(m.label, xs, ys);
          }
        }
        String file = f.getKey().startsWith("bytes") ? "scale-bytes.png" : "scale-cpu.png";
        BitmapEncoder.saveBitmap(
            c, bench.out.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
      }
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
