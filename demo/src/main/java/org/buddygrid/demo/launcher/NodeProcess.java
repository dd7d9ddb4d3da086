package org.buddygrid.demo.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One demo node's JVM as the launcher runs it: started from the demo jar with its own log file and
 * pid file, ready once it prints {@code READY <route> <url>}, and killed, stopped or restarted on
 * request. Actions on one node run one at a time.
 */
public final class NodeProcess {
  /** Where a node process is in its life. */
  public enum State {
    STARTING,
    UP,
    STOPPING,
    DOWN
  }

  private final String route;
  private final String url;
  private final List<String> command;
  private final RunDir run;
  private final Path log;
  private final PrintStream out;
  private final ReentrantLock actions = new ReentrantLock();
  private volatile Process process;
  private volatile State state = State.DOWN;
  private volatile Integer exitStatus;
  private volatile boolean expectingExit;

  NodeProcess(String route, String url, List<String> command, RunDir run, PrintStream out) {
    this.route = route;
    this.url = url;
    this.command = List.copyOf(command);
    this.run = run;
    this.log = run.logs().resolve(route + ".log");
    this.out = out;
  }

  public String route() {
    return route;
  }

  /** The node's own URL, {@code http://127.0.0.1:<port>/}. */
  public String url() {
    return url;
  }

  public State state() {
    return state;
  }

  public Path log() {
    return log;
  }

  /** The running JVM, if any. */
  public java.util.Optional<ProcessHandle> handle() {
    Process p = process;
    return p != null && p.isAlive()
        ? java.util.Optional.of(p.toHandle())
        : java.util.Optional.empty();
  }

  /**
   * Starts the JVM and waits until it prints {@code READY}.
   *
   * @throws IllegalStateException if it is running already, exits first, or is not ready in time
   */
  public void start(Duration timeout) throws IOException, InterruptedException {
    actions.lock();
    try {
      if (handle().isPresent()) {
        throw new IllegalStateException(route + " is running already");
      }
      long offset = Files.exists(log) ? Files.size(log) : 0;
      state = State.STARTING;
      exitStatus = null;
      expectingExit = false;
      Process p =
          new ProcessBuilder(Processes.ownSession(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      process = p;
      run.writePid(route, p.pid());
      p.onExit().thenAccept(this::exited);
      awaitReady(p, offset, timeout);
      state = State.UP;
    } finally {
      actions.unlock();
    }
  }

  private void awaitReady(Process p, long offset, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String ready = "READY " + route + " ";
    while (System.nanoTime() < deadline) {
      if (readSince(offset).contains(ready)) {
        return;
      }
      if (!p.isAlive()) {
        state = State.DOWN;
        throw new IllegalStateException(
            route
                + " exited with status "
                + p.exitValue()
                + " before it was ready; its log:\n"
                + Processes.tail(log, 25));
      }
      Thread.sleep(100);
    }
    Processes.end(p.toHandle(), true, Duration.ofSeconds(5));
    throw new IllegalStateException(
        route
            + " was not ready within "
            + timeout.toSeconds()
            + " s; its log:\n"
            + Processes.tail(log, 25));
  }

  private String readSince(long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return "";
      }
      byte[] b = new byte[(int) Math.min(len - offset, 1 << 20)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private void exited(Process p) {
    if (p != process) {
      return;
    }
    exitStatus = p.exitValue();
    state = State.DOWN;
    run.removePid(route);
    if (!expectingExit) {
      out.println(route + " exited unexpectedly (status " + exitStatus + "); log: " + log);
    }
  }

  /** {@code kill -9}: the JVM dies at once, without handing its sessions over. */
  public void kill() {
    end(true, Duration.ofSeconds(5));
  }

  /** SIGTERM: the node hands its sessions over, then exits; SIGKILL after {@code grace}. */
  public void stop(Duration grace) {
    end(false, grace);
  }

  private void end(boolean force, Duration grace) {
    actions.lock();
    try {
      Process p = process;
      if (p == null || !p.isAlive()) {
        return;
      }
      expectingExit = true;
      state = State.STOPPING;
      Processes.end(p.toHandle(), force, grace);
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exitStatus = p.exitValue();
      state = State.DOWN;
      run.removePid(route);
    } finally {
      actions.unlock();
    }
  }

  /** Stops gracefully (if running), then starts again and waits until ready. */
  public void restart(Duration grace, Duration timeout) throws IOException, InterruptedException {
    stop(grace);
    start(timeout);
  }

  /** As the control server's JSON fields. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("route", route);
    m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    m.put("pid", handle().map(ProcessHandle::pid).orElse(null));
    m.put("url", url);
    m.put("exit", exitStatus);
    return m;
  }
}
