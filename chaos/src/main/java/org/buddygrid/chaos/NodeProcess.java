package org.buddygrid.chaos;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One demo node JVM, restartable on the same ports: its output goes to {@code <logs>/<route>.log}
 * (appended across restarts), and its fault-control endpoint is enabled on its own port.
 */
final class NodeProcess implements Endpoint {
  private static final Pattern VIEW = Pattern.compile("\"view\":\\[([^\\]]*)\\]");
  private static final Pattern AT_RISK = Pattern.compile("\"atRisk\":(\\d+)");
  private static final Pattern OWNED = Pattern.compile("\"owned\":(\\d+)");
  private static final Pattern BACKUPS = Pattern.compile("\"backups\":(\\d+)");

  final String route;
  final int httpPort;
  final int jgroupsPort;
  final int faultPort;
  private final List<String> args;
  private final Path jar;
  private final Path log;
  private final HttpClient http;
  private volatile Process process;
  private volatile CompletableFuture<Void> ready;
  private boolean closed;

  NodeProcess(
      String route,
      int httpPort,
      int jgroupsPort,
      int faultPort,
      List<String> args,
      Path jar,
      Path logDir,
      HttpClient http) {
    this.route = route;
    this.httpPort = httpPort;
    this.jgroupsPort = jgroupsPort;
    this.faultPort = faultPort;
    this.args = args;
    this.jar = jar;
    this.log = logDir.resolve(route + ".log");
    this.http = http;
  }

  @Override
  public String route() {
    return route;
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + httpPort + "/";
  }

  /** Starts the JVM; {@link #awaitReady} waits for its READY line. */
  synchronized void start() {
    if (closed) {
      throw new IllegalStateException(route + " is closed: the run is ending");
    }
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(route + " is running already");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString()));
    cmd.addAll(args);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + route + ": " + cmd, e);
    }
    CompletableFuture<Void> r = new CompletableFuture<>();
    ready = r;
    Process p = process;
    Thread reader = new Thread(() -> copyOutput(p, r), "output-" + route);
    reader.setDaemon(true);
    reader.start();
  }

  private void copyOutput(Process p, CompletableFuture<Void> r) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      out.write("---- started pid " + p.pid() + "\n");
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (line.startsWith("READY " + route + " ")) {
          r.complete(null);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    r.completeExceptionally(
        new IllegalStateException(route + " ended before READY; see its log " + log));
  }

  void awaitReady(Duration timeout) throws Exception {
    ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** {@code kill -9}, and no start after it: the run is ending. */
  synchronized void close() {
    closed = true;
    kill();
  }

  /** {@code kill -9}. */
  void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      await(p, Duration.ofSeconds(20));
    }
  }

  /** SIGTERM, then waits for the graceful exit; returns the exit status. */
  int terminate(Duration timeout) {
    Process p = process;
    p.destroy();
    await(p, timeout);
    return p.exitValue();
  }

  /** {@code kill -STOP} (true) or {@code kill -CONT} (false). */
  void pause(boolean stop) {
    Process p = process;
    try {
      Process k =
          new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", Long.toString(p.pid()))
              .inheritIO()
              .start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException(
            "kill " + (stop ? "-STOP " : "-CONT ") + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void await(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
        throw new IllegalStateException(route + " did not exit within " + timeout + ": killed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node's grid as its fault-control endpoint reports it. */
  record Status(List<String> view, int owned, long backups, int atRisk) {}

  /** {@code GET /} of the fault-control endpoint; throws if the node does not answer. */
  Status status() throws IOException, InterruptedException {
    String body = control("GET", "");
    Matcher v = VIEW.matcher(body);
    Matcher r = AT_RISK.matcher(body);
    Matcher o = OWNED.matcher(body);
    Matcher b = BACKUPS.matcher(body);
    if (!v.find() || !r.find() || !o.find() || !b.find()) {
      throw new IOException(route + ": unexpected fault-control answer " + body);
    }
    List<String> view =
        v.group(1).isBlank() ? List.of() : List.of(v.group(1).replace("\"", "").split(","));
    return new Status(
        view,
        Integer.parseInt(o.group(1)),
        Long.parseLong(b.group(1)),
        Integer.parseInt(r.group(1)));
  }

  /** Drops every message from the members whose JGroups ports are given. */
  void isolateFrom(List<Integer> ports) throws IOException, InterruptedException {
    control(
        "POST", "isolate?from=" + String.join(",", ports.stream().map(String::valueOf).toList()));
  }

  /** Removes the DISCARD protocol again. */
  void heal() throws IOException, InterruptedException {
    control("POST", "heal");
  }

  private String control(String method, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + faultPort + "/" + path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(
          route + " fault control " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  @Override
  public String toString() {
    return route;
  }
}
