package org.buddygrid.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The harness's command line. Parsing collects every problem at once; {@link #parse} throws {@link
 * IllegalArgumentException} with one line per problem.
 *
 * @param nodes node processes, 3 to 6
 * @param backups copies of each session besides the owner's ({@code --backups} of the nodes)
 * @param timing {@code SYNC} or {@code ASYNC}
 * @param cycles fault cycles to run
 * @param seed the fault driver's seed (the same seed chooses the same faults)
 * @param faults the fault kinds to choose from
 * @param clients client threads
 * @param sessions sessions, spread over the client threads
 * @param nonStickyPercent requests sent to a random node instead of the session's route
 * @param recoveryTimeout how long a cycle may take to recover before it counts as failed
 * @param jar the demo node jar
 * @param logDir where each node's output goes
 */
public record ChaosOptions(
    int nodes,
    int backups,
    String timing,
    int cycles,
    long seed,
    Set<FaultKind> faults,
    int clients,
    int sessions,
    int nonStickyPercent,
    Duration recoveryTimeout,
    Path jar,
    Path logDir) {

  static final String USAGE =
      """
      Usage: chaos/run [--quick] [--nodes 3] [--backups 1|2] [--timing SYNC|ASYNC] [--cycles 60]
                       [--seed N] [--faults kill,stop,zombie,restart,double-kill,partition]
                       [--clients 4] [--sessions 24] [--non-sticky 20] [--recovery-timeout 60]
                       [--jar demo/target/buddygrid-demo.jar] [--logs chaos/target/chaos-logs]

      Starts demo node processes on 127.0.0.1, clients that increment per-session counters and
      record every acknowledged value, and injects seeded faults; after every cycle each session
      must hold at least its last acknowledged value. --quick: 3 nodes, 6 cycles, 12 sessions.
      Default faults: kill,stop,restart (plus double-kill with --backups 2). --non-sticky: the
      percent of requests sent to a random node instead of the session's route (0: sticky). Exit status 0 when
      every cycle recovered and, in SYNC, no acknowledged write was lost; 1 otherwise; 2 for bad
      options.
      """;

  /** Parses {@code --name value} or {@code --name=value} arguments. */
  static ChaosOptions parse(String... args) {
    Map<String, String> given = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (name.equals("--quick")) {
        given.put("--quick", "true");
        continue;
      }
      if (!List.of(
              "--nodes",
              "--backups",
              "--timing",
              "--cycles",
              "--seed",
              "--faults",
              "--clients",
              "--sessions",
              "--non-sticky",
              "--recovery-timeout",
              "--jar",
              "--logs")
          .contains(name)) {
        problems.add("unknown option " + arg + " (see --help)");
        continue;
      }
      String value = eq > 0 ? arg.substring(eq + 1) : (i + 1 < args.length ? args[++i] : null);
      if (value == null) {
        problems.add(name + " needs a value");
      } else {
        given.put(name, value);
      }
    }
    boolean quick = given.containsKey("--quick");
    int nodes = number(given, "--nodes", 3, 3, 6, problems);
    int backups = number(given, "--backups", 1, 1, 2, problems);
    String timing = given.getOrDefault("--timing", "SYNC").toUpperCase(Locale.ROOT);
    if (!timing.equals("SYNC") && !timing.equals("ASYNC")) {
      problems.add("--timing " + timing + " is not valid: use SYNC or ASYNC");
    }
    int cycles = number(given, "--cycles", quick ? 6 : 60, 1, 10_000, problems);
    long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    if (given.containsKey("--seed")) {
      try {
        seed = Long.parseLong(given.get("--seed").trim());
      } catch (NumberFormatException e) {
        problems.add("--seed " + given.get("--seed") + " is not valid: use a whole number");
      }
    }
    Set<FaultKind> faults = EnumSet.noneOf(FaultKind.class);
    if (given.containsKey("--faults")) {
      for (String f : given.get("--faults").split(",")) {
        FaultKind.named(f.trim())
            .ifPresentOrElse(
                faults::add,
                () ->
                    problems.add(
                        "--faults: unknown fault "
                            + f
                            + "; use kill, stop, zombie, restart, double-kill, partition"));
      }
    } else {
      faults.addAll(List.of(FaultKind.KILL, FaultKind.STOP, FaultKind.RESTART));
      if (backups >= 2) {
        faults.add(FaultKind.DOUBLE_KILL);
      }
    }
    if (faults.contains(FaultKind.DOUBLE_KILL) && backups < 2) {
      problems.add(
          "--faults double-kill needs --backups 2 (one backup does not survive two kills)");
    }
    if (faults.contains(FaultKind.DOUBLE_KILL) && nodes - 2 < 1) {
      problems.add("--faults double-kill needs at least 3 nodes");
    }
    if (given.containsKey("--faults") && faults.isEmpty()) {
      problems.add("--faults needs at least one fault");
    }
    int clients = number(given, "--clients", quick ? 3 : 4, 1, 64, problems);
    int sessions = number(given, "--sessions", quick ? 12 : 24, 1, 10_000, problems);
    if (sessions < clients) {
      problems.add("--sessions must be at least --clients (each client owns its sessions)");
    }
    int nonSticky = number(given, "--non-sticky", 20, 0, 100, problems);
    int recovery = number(given, "--recovery-timeout", 60, 5, 3600, problems);
    Path jar = Path.of(given.getOrDefault("--jar", "demo/target/buddygrid-demo.jar"));
    Path logs = Path.of(given.getOrDefault("--logs", "chaos/target/chaos-logs"));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new ChaosOptions(
        nodes,
        backups,
        timing,
        cycles,
        seed,
        Set.copyOf(faults),
        clients,
        sessions,
        nonSticky,
        Duration.ofSeconds(recovery),
        jar,
        logs);
  }

  private static int number(
      Map<String, String> given, String name, int def, int min, int max, List<String> problems) {
    String v = given.get(name);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + " " + v + " is not valid: use a number from " + min + " to " + max);
    return def;
  }

  /** The options as the command line that repeats the run. */
  String commandLine() {
    List<String> kinds = faults.stream().sorted().map(FaultKind::label).toList();
    return "chaos/run --nodes "
        + nodes
        + " --backups "
        + backups
        + " --timing "
        + timing
        + " --cycles "
        + cycles
        + " --seed "
        + seed
        + " --faults "
        + String.join(",", kinds)
        + " --clients "
        + clients
        + " --sessions "
        + sessions
        + " --non-sticky "
        + nonStickyPercent;
  }
}
