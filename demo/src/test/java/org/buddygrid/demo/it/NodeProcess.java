package org.buddygrid.demo.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A demo node JVM started by a test from the demo jar; its output is kept for assertions. */
final class NodeProcess {
  static final Path JAR =
      Path.of(System.getProperty("buddygrid.demo.jar", "target/buddygrid-demo.jar"))
          .toAbsolutePath();

  final String route;
  final String url;
  final Process process;
  final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  private NodeProcess(String route, String url, Process process) {
    this.route = route;
    this.url = url;
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.add(line);
                  if (line.startsWith("READY " + route + " ")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              drained.complete(null);
              ready.completeExceptionally(
                  new IllegalStateException(
                      route + " ended before READY:\n" + String.join("\n", output)));
            },
            "output-" + route);
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code java -jar buddygrid-demo.jar args...}. */
  static NodeProcess start(String route, int httpPort, List<String> args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new NodeProcess(route, "http://127.0.0.1:" + httpPort + "/", p);
  }

  /** Waits for the READY line. */
  NodeProcess awaitReady(Duration timeout) throws Exception {
    ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Waits for the exit and returns the status. */
  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(route + " did not exit within " + timeout);
    }
    drained.get(10, TimeUnit.SECONDS); // every line it wrote has been read
    return process.exitValue();
  }

  String output() {
    return String.join("\n", output);
  }
}
