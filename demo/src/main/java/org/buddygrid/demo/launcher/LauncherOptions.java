package org.buddygrid.demo.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The launcher's options (for {@code start}; {@code --run-dir} for every command).
 *
 * @param nodes how many nodes
 * @param port the balancer's port
 * @param httpPort node1's HTTP port
 * @param jgroupsPort node1's JGroups port
 * @param mode {@code filter} or {@code tomcat}
 * @param timing the replication timing
 * @param backups copies per session
 * @param cluster the grid's cluster name
 * @param runDir the run directory
 * @param jar the demo jar (default: the one the launcher runs from)
 * @param controlPort the control server's port (0: any free one)
 * @param balancer whether to start httpd
 */
record LauncherOptions(
    int nodes,
    int port,
    int httpPort,
    int jgroupsPort,
    String mode,
    String timing,
    int backups,
    String cluster,
    Path runDir,
    Path jar,
    int controlPort,
    boolean balancer) {

  /** Options, or what is wrong with them. */
  record Parsed(LauncherOptions options, List<String> problems) {}

  static String usage() {
    return """
        Usage: ./demo/buddygrid-demo COMMAND

          start [options]        start the demo in the foreground; Ctrl-C stops everything
          kill NODE              kill -9 a node (e.g. node2): its sessions fail over
          stop NODE              stop a node gracefully: it hands its sessions over first
          start NODE             start a stopped or killed node again
          restart NODE           stop a node gracefully and start it again
          status                 list the node processes
          down                   stop a demo running in another terminal

        Options of start (defaults in brackets):
          --nodes N              how many nodes [3]
          --port PORT            Apache httpd's port on 127.0.0.1 [8080]
          --http-port PORT       node1's HTTP port; the others count up [8081]
          --jgroups-port PORT    node1's JGroups port; the others count up [7900]
          --mode MODE            filter or tomcat [filter]
          --timing TIMING        SYNC, ASYNC or INTERVAL [SYNC]
          --backups N            copies of each session besides the owner's [1]
          --cluster NAME         the grid's cluster name [buddygrid-demo]
          --run-dir DIR          logs, pid files, httpd's config [demo/run]
          --control-port PORT    the launcher's control server on 127.0.0.1 [any free port]
          --no-balancer          run the nodes only, without Apache httpd
          --jar FILE             the demo jar [the one the launcher runs from]
        """;
  }

  static Parsed parse(List<String> args) {
    List<String> problems = new ArrayList<>();
    int nodes = 3;
    int port = 8080;
    int httpPort = 8081;
    int jgroupsPort = 7900;
    String mode = "filter";
    String timing = "SYNC";
    int backups = 1;
    String cluster = "buddygrid-demo";
    Path runDir = Path.of("demo", "run");
    Path jar = null;
    int controlPort = 0;
    boolean balancer = true;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--no-balancer")) {
        balancer = false;
        continue;
      }
      if (i + 1 >= args.size()) {
        problems.add(a.startsWith("--") ? a + " needs a value" : "unexpected argument " + a);
        break;
      }
      String v = args.get(++i);
      switch (a) {
        case "--nodes" -> nodes = number(a, v, 1, 9, problems);
        case "--port" -> port = number(a, v, 1, 65535, problems);
        case "--http-port" -> httpPort = number(a, v, 1, 65535, problems);
        case "--jgroups-port" -> jgroupsPort = number(a, v, 1, 65535, problems);
        case "--mode" -> mode = v.toLowerCase(Locale.ROOT);
        case "--timing" -> timing = v.toUpperCase(Locale.ROOT);
        case "--backups" -> backups = number(a, v, 1, 8, problems);
        case "--cluster" -> cluster = v;
        case "--run-dir" -> runDir = Path.of(v);
        case "--jar" -> jar = Path.of(v);
        case "--control-port" -> controlPort = number(a, v, 0, 65535, problems);
        default -> problems.add("unknown option " + a);
      }
    }
    if (!mode.equals("filter") && !mode.equals("tomcat")) {
      problems.add("--mode must be filter or tomcat");
    }
    if (!List.of("SYNC", "ASYNC", "INTERVAL").contains(timing)) {
      problems.add("--timing must be SYNC, ASYNC or INTERVAL");
    }
    if (backups >= nodes && nodes > 1) {
      problems.add("--backups " + backups + " needs more than " + backups + " nodes");
    }
    return new Parsed(
        new LauncherOptions(
            nodes,
            port,
            httpPort,
            jgroupsPort,
            mode,
            timing,
            backups,
            cluster,
            runDir,
            jar,
            controlPort,
            balancer),
        problems);
  }

  private static int number(String name, String v, int min, int max, List<String> problems) {
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + " " + v + " is not valid: use a number from " + min + " to " + max);
    return min;
  }
}
