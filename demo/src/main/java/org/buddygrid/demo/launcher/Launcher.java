package org.buddygrid.demo.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.buddygrid.demo.SessionMode;

/**
 * {@code java -cp demo/target/buddygrid-demo.jar org.buddygrid.demo.launcher.Launcher COMMAND}, run
 * by {@code ./demo/buddygrid-demo}:
 *
 * <ul>
 *   <li>{@code start [options]}: starts the demo in the foreground (three nodes and Apache httpd),
 *       prints the URLs, and stops everything on Ctrl-C.
 *   <li>{@code kill|stop|start|restart NODE}, {@code status}, {@code down}: talk to the running
 *       demo's control server.
 * </ul>
 *
 * <p>Exit status: 0 on success, 1 on failure, 2 for bad usage.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(LauncherOptions.usage());
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      if (command.equals("start") && (rest.isEmpty() || rest.get(0).startsWith("--"))) {
        return startDemo(rest, out, err);
      }
      List<String> positional = new java.util.ArrayList<>();
      List<String> options = new java.util.ArrayList<>();
      for (int i = 0; i < rest.size(); i++) {
        String a = rest.get(i);
        if (!a.startsWith("--")) {
          positional.add(a);
        } else {
          options.add(a);
          if (!a.equals("--no-balancer") && i + 1 < rest.size()) {
            options.add(rest.get(++i));
          }
        }
      }
      LauncherOptions.Parsed parsed = LauncherOptions.parse(options);
      if (!parsed.problems().isEmpty()) {
        parsed.problems().forEach(p -> err.println("error: " + p));
        return 2;
      }
      RunDir run = new RunDir(parsed.options().runDir());
      return switch (command) {
        case "kill", "stop", "start", "restart" -> {
          if (positional.size() != 1) {
            err.println("error: " + command + " needs one node, e.g. " + command + " node2");
            yield 2;
          }
          yield call(run, "POST", "nodes/" + positional.get(0) + "/" + command, out, err);
        }
        case "status" -> call(run, "GET", "nodes", out, err);
        case "down" -> call(run, "POST", "shutdown", out, err);
        default -> {
          err.println("error: unknown command " + command + "\n" + LauncherOptions.usage());
          yield 2;
        }
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int startDemo(List<String> args, PrintStream out, PrintStream err)
      throws InterruptedException {
    LauncherOptions.Parsed parsed = LauncherOptions.parse(args);
    if (!parsed.problems().isEmpty()) {
      parsed.problems().forEach(p -> err.println("error: " + p));
      err.println("Run with --help to see every option.");
      return 2;
    }
    LauncherOptions o = parsed.options();
    if (o.mode().equals("tomcat")) {
      try {
        SessionMode.named("tomcat");
      } catch (SessionMode.UnavailableModeException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
    }
    Path jar = o.jar() != null ? o.jar() : Processes.ownJar();
    if (jar == null) {
      err.println(
          "error: run the launcher from the demo jar, or give --jar demo/target/buddygrid-demo.jar");
      return 2;
    }
    DemoCluster.Config config =
        new DemoCluster.Config(
            o.nodes(),
            o.balancer() ? o.port() : 0,
            o.httpPort(),
            o.jgroupsPort(),
            o.mode(),
            o.timing(),
            o.backups(),
            o.cluster(),
            o.runDir(),
            jar,
            o.controlPort());
    DemoCluster cluster;
    try {
      cluster = DemoCluster.start(config, out);
    } catch (IOException | RuntimeException e) {
      err.println("error: the demo could not start: " + e.getMessage());
      return 1;
    }
    Thread hook = new Thread(cluster::close, "demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(banner(cluster));
    out.flush();
    cluster.awaitShutdownRequest(); // Ctrl-C ends the JVM, and the hook stops everything
    Runtime.getRuntime().removeShutdownHook(hook);
    cluster.close();
    return 0;
  }

  static String banner(DemoCluster c) {
    StringBuilder b = new StringBuilder("\n");
    String front = c.balancerUrl().orElse(c.nodes().get(0).url());
    if (c.balancerUrl().isPresent()) {
      b.append("BuddyGrid demo: ")
          .append(c.nodes().size())
          .append(
              " nodes behind Apache httpd (mod_proxy_balancer, sticky on the route after the dot)\n\n");
    } else {
      b.append("BuddyGrid demo: ").append(c.nodes().size()).append(" nodes (no balancer)\n\n");
    }
    b.append("  Shop:             ")
        .append(front)
        .append('\n')
        .append("  Grid dashboard:   ")
        .append(front)
        .append("grid\n");
    c.balancerUrl()
        .ifPresent(u -> b.append("  Balancer manager: ").append(u).append("balancer-manager\n"));
    for (NodeProcess n : c.nodes()) {
      b.append("  ").append(String.format("%-17s", n.route() + ":")).append(n.url()).append('\n');
    }
    b.append(
            "\n  Kill a node:      ./demo/buddygrid-demo kill node1    (kill -9; or the dashboard's buttons)\n")
        .append(
            "  Stop, start:      ./demo/buddygrid-demo stop node1 | start node1 | restart node1\n")
        .append("  Logs:             ")
        .append(c.runDir().logs())
        .append('\n')
        .append("\nPress Ctrl-C to stop everything.\n");
    return b.toString();
  }

  private static int call(RunDir run, String method, String path, PrintStream out, PrintStream err)
      throws InterruptedException {
    String base = run.controlUrl().orElse(null);
    if (base == null) {
      err.println(
          "error: no demo is running from "
              + run.root()
              + " (start one: ./demo/buddygrid-demo start)");
      return 1;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(base).resolve(path)).timeout(Duration.ofSeconds(10));
    req = method.equals("GET") ? req.GET() : req.POST(HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      (r.statusCode() < 300 ? out : err).println(r.body());
      return r.statusCode() < 300 ? 0 : 1;
    } catch (IOException e) {
      err.println(
          "error: the demo's launcher does not answer at " + base + " (" + e.getMessage() + ")");
      return 1;
    }
  }
}
