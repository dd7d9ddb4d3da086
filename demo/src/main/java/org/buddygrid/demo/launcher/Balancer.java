package org.buddygrid.demo.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Apache httpd with {@code mod_proxy_balancer} in front of the nodes, sticky on the route after the
 * dot of {@code JSESSIONID} (cookie or {@code ;jsessionid=}). It runs in the foreground as the
 * launcher's child, with its own config file, pid file and logs under the run directory, and
 * listens on 127.0.0.1 only.
 */
public final class Balancer {
  private static final List<String> BINARIES =
      List.of("/usr/sbin/apache2", "/usr/sbin/httpd", "/usr/local/apache2/bin/httpd");
  private static final List<String> MODULE_DIRS =
      List.of(
          "/usr/lib/apache2/modules",
          "/usr/lib64/httpd/modules",
          "/usr/lib/httpd/modules",
          "/usr/local/apache2/modules");

  /** One balancer member: a node's route and HTTP port. */
  public record Member(String route, int port) {}

  private final Path binary;
  private final Path modules;
  private final RunDir run;
  private final int port;
  private Process process;

  private Balancer(Path binary, Path modules, RunDir run, int port) {
    this.binary = binary;
    this.modules = modules;
    this.run = run;
    this.port = port;
  }

  /** The httpd binary: {@code $BUDDYGRID_HTTPD}, the usual places, or the PATH. */
  public static Optional<Path> findBinary() {
    String env = System.getenv("BUDDYGRID_HTTPD");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    for (String b : BINARIES) {
      if (Files.isExecutable(Path.of(b))) {
        return Optional.of(Path.of(b));
      }
    }
    return Optional.ofNullable(Processes.onPath("apache2"))
        .or(() -> Optional.ofNullable(Processes.onPath("httpd")));
  }

  private static Optional<Path> findModules() {
    String env = System.getenv("BUDDYGRID_HTTPD_MODULES");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    return MODULE_DIRS.stream()
        .map(Path::of)
        .filter(d -> Files.exists(d.resolve("mod_proxy_balancer.so")))
        .findFirst();
  }

  /** What to install when httpd is missing, in one line. */
  public static String installHint() {
    return "Apache httpd is needed for the balancer: apt-get install -y apache2 (Debian, Ubuntu) or"
        + " dnf install -y httpd (Fedora, RHEL); or set BUDDYGRID_HTTPD to its binary";
  }

  /**
   * A balancer on 127.0.0.1:{@code port}.
   *
   * @throws IllegalStateException if httpd or its proxy modules are not installed
   */
  public static Balancer prepare(RunDir run, int port) {
    Path binary = findBinary().orElseThrow(() -> new IllegalStateException(installHint()));
    Path modules =
        findModules()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "httpd's mod_proxy_balancer.so was not found in "
                            + MODULE_DIRS
                            + ": set BUDDYGRID_HTTPD_MODULES to the modules directory"));
    return new Balancer(binary, modules, run, port);
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /**
   * The configuration of a balancer on 127.0.0.1:{@code port} for {@code members}, with its files
   * under {@code run} and httpd's modules in {@code modules}.
   */
  static String config(RunDir run, Path modules, int port, List<Member> members) {
    Path dir = run.httpd();
    StringBuilder b = new StringBuilder();
    b.append("# Written by the BuddyGrid demo launcher; rewritten at every start.\n")
        .append("ServerRoot \"")
        .append(dir)
        .append("\"\n")
        .append("PidFile \"")
        .append(dir.resolve("httpd.pid"))
        .append("\"\n")
        .append("DefaultRuntimeDir \"")
        .append(dir)
        .append("\"\n")
        .append("Mutex file:")
        .append(dir)
        .append('\n')
        .append("ErrorLog \"")
        .append(run.logs().resolve("httpd-error.log"))
        .append("\"\n")
        .append("LogLevel warn\n")
        .append("Listen 127.0.0.1:")
        .append(port)
        .append('\n')
        .append("ServerName 127.0.0.1\n");
    for (String m :
        List.of(
            "mpm_event",
            "authz_core",
            "authz_host",
            "slotmem_shm",
            "proxy",
            "proxy_http",
            "proxy_balancer",
            "lbmethod_byrequests",
            "status")) {
      b.append("<IfModule !")
          .append(m)
          .append("_module>\n  LoadModule ")
          .append(m)
          .append("_module \"")
          .append(modules.resolve("mod_" + m + ".so"))
          .append("\"\n</IfModule>\n");
    }
    b.append("<IfModule !log_config_module>\n  LoadModule log_config_module \"")
        .append(modules.resolve("mod_log_config.so"))
        .append("\"\n</IfModule>\n")
        .append(
            "LogFormat \"%h %t \\\"%r\\\" %>s route=%{BALANCER_WORKER_ROUTE}e sticky=%{BALANCER_SESSION_ROUTE}e\" demo\n")
        .append("CustomLog \"")
        .append(run.logs().resolve("httpd-access.log"))
        .append("\" demo\n");
    if ("root".equals(System.getProperty("user.name"))) {
      String user = hasUser("www-data") ? "www-data" : hasUser("apache") ? "apache" : "daemon";
      b.append("User ").append(user).append("\nGroup ").append(user).append('\n');
    }
    b.append("StartServers 1\nServerLimit 2\nThreadsPerChild 25\nMaxRequestWorkers 50\n")
        .append("<Proxy \"balancer://buddygrid\">\n");
    for (Member m : members) {
      b.append("  BalancerMember \"http://127.0.0.1:")
          .append(m.port())
          .append("\" route=")
          .append(m.route())
          .append(" retry=1 connectiontimeout=1\n");
    }
    b.append("  ProxySet lbmethod=byrequests stickysession=JSESSIONID|jsessionid")
        .append(" scolonpathdelim=On nofailover=Off\n</Proxy>\n")
        .append("ProxyPass \"/balancer-manager\" \"!\"\n")
        .append("ProxyPass \"/\" \"balancer://buddygrid/\"\n")
        .append("ProxyPassReverse \"/\" \"balancer://buddygrid/\"\n")
        .append("<Location \"/balancer-manager\">\n  SetHandler balancer-manager\n")
        .append("  Require ip 127.0.0.1\n</Location>\n");
    return b.toString();
  }

  private static boolean hasUser(String name) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream()
          .anyMatch(l -> l.startsWith(name + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the config and starts httpd in the foreground; returns once it accepts connections.
   *
   * @throws IllegalStateException if it exits or does not listen within 20 s (with its error log)
   */
  public void start(List<Member> members) throws IOException, InterruptedException {
    Path conf = run.httpd().resolve("httpd.conf");
    Files.writeString(conf, config(run, modules, port, members));
    Path console = run.logs().resolve("httpd-console.log");
    process =
        new ProcessBuilder(
                Processes.ownSession(
                    List.of(binary.toString(), "-f", conf.toString(), "-DFOREGROUND")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
            .start();
    run.writePid("httpd", process.pid());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "httpd exited with status "
                + process.exitValue()
                + ":\n"
                + Processes.tail(console, 10)
                + "\n"
                + Processes.tail(run.logs().resolve("httpd-error.log"), 10));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    stop();
    throw new IllegalStateException("httpd did not listen on port " + port + " within 20 s");
  }

  /** The running httpd, if any. */
  public Optional<ProcessHandle> handle() {
    Process p = process;
    return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
  }

  /** Stops httpd and its workers (SIGTERM, then SIGKILL after 10 s). */
  public void stop() {
    Process p = process;
    if (p != null && p.isAlive()) {
      Processes.end(p.toHandle(), false, Duration.ofSeconds(10));
    }
    run.removePid("httpd");
  }
}
