package org.buddygrid.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code chaos/run [options]}: runs the chaos harness and prints one line per cycle and a summary.
 * Exit status: 0 when every cycle recovered and (in SYNC) no acknowledged write was lost, 1
 * otherwise or if the run could not start, 2 for bad options.
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) {
    System.setProperty("java.net.preferIPv4Stack", "true");
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.print(ChaosOptions.USAGE);
      return 0;
    }
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      e.getMessage().lines().forEach(l -> err.println("error: " + l));
      err.println("Run with --help to see every option.");
      return 2;
    }
    ChaosRun.Summary summary;
    try {
      summary = new ChaosRun(options, out).run();
    } catch (Exception e) {
      err.println("error: the chaos run stopped: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    }
    out.print(report(options, summary));
    out.flush();
    return summary.passed(options.timing()) ? 0 : 1;
  }

  /** The summary block printed at the end of a run. */
  static String report(ChaosOptions options, ChaosRun.Summary s) {
    StringBuilder b = new StringBuilder();
    b.append("\n== chaos summary (")
        .append(options.timing())
        .append(", backups=")
        .append(options.backups())
        .append(", ")
        .append(options.nodes())
        .append(" nodes, seed ")
        .append(options.seed())
        .append(")\n");
    b.append("cycles:                ").append(s.cycles()).append('\n');
    b.append("faults:                ")
        .append(
            s.faults().entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", ")))
        .append('\n');
    b.append("acknowledged writes:   ").append(s.acknowledged()).append('\n');
    b.append("lost writes:           ")
        .append(s.losses().size())
        .append(" (in ")
        .append(s.losses().stream().map(Clients.Loss::sessionId).distinct().count())
        .append(" session(s))\n");
    if (!s.lossWindowsMillis().isEmpty()) {
      List<Long> w = new ArrayList<>(s.lossWindowsMillis());
      w.sort(null);
      b.append("loss window:           lost writes were acknowledged ")
          .append(w.get(w.size() / 2))
          .append(" ms (median), ")
          .append(w.get(w.size() - 1))
          .append(" ms (max) before their fault\n");
    }
    if (s.replacedButIntact() > 0) {
      b.append("replaced, yet intact:  ")
          .append(s.replacedButIntact())
          .append(
              " session(s): a node answered with a new session, but the old one still held its"
                  + " acknowledged value\n");
    }
    b.append("cycles not recovered:  ").append(s.unrecovered()).append('\n');
    if (!s.recoveryMillis().isEmpty()) {
      List<Long> r = new ArrayList<>(s.recoveryMillis());
      r.sort(null);
      b.append(
          String.format(
              "time to recover:       median %.1f s, max %.1f s (fault to full views, 0 at risk)%n",
              r.get(r.size() / 2) / 1000.0, r.get(r.size() - 1) / 1000.0));
    }
    b.append("503 answers:           ").append(s.unavailable()).append('\n');
    b.append("failed requests:       ")
        .append(s.failedRequests())
        .append(" (timeouts, refused connections: not acknowledged)\n");
    b.append("result:                ")
        .append(s.passed(options.timing()) ? "PASSED" : "FAILED")
        .append('\n');
    for (Map.Entry<String, List<Clients.Loss>> e :
        s.losses().stream().collect(Collectors.groupingBy(Clients.Loss::sessionId)).entrySet()) {
      b.append("  lost in ")
          .append(e.getKey())
          .append(": values ")
          .append(ranges(e.getValue().stream().map(Clients.Loss::acknowledged).sorted().toList()))
          .append(" (found ")
          .append(e.getValue().get(0).found())
          .append(")\n");
    }
    return b.toString();
  }

  /** 1,2,3,5 as "1-3,5". */
  static String ranges(List<Long> sorted) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sorted.size(); ) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      b.append(b.length() == 0 ? "" : ",").append(sorted.get(i));
      if (j > i) {
        b.append('-').append(sorted.get(j));
      }
      i = j + 1;
    }
    return b.toString();
  }
}
