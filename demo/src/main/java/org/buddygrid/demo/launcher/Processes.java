package org.buddygrid.demo.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Process helpers: starting in a session of its own, and stopping a process with its children. */
final class Processes {
  private Processes() {}

  /**
   * {@code command}, prefixed with {@code setsid} where it exists: the process then has a session
   * and process group of its own, so a Ctrl-C in the launcher's terminal reaches the launcher only,
   * which stops everything in order.
   */
  static List<String> ownSession(List<String> command) {
    List<String> out = new ArrayList<>();
    for (String dir : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
      if (Files.isExecutable(Path.of(dir))) {
        out.add(dir);
        break;
      }
    }
    out.addAll(command);
    return out;
  }

  /** The {@code java} running this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Ends {@code process} and its descendants: SIGTERM (or SIGKILL if {@code force}), then SIGKILL
   * for whatever is left after {@code grace}. Returns whether everything is gone.
   */
  static boolean end(ProcessHandle process, boolean force, Duration grace) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process);
    for (ProcessHandle p : all) {
      if (force) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : all) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    boolean gone = true;
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        gone = false;
      }
    }
    return gone;
  }

  /** The last {@code lines} lines of {@code file}, for error messages. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (Exception e) {
      return "(no log at " + file + ")";
    }
  }

  /** The jar this class was loaded from (the demo jar), if it was loaded from a jar. */
  static Path ownJar() {
    try {
      Path p = Path.of(Processes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Whether {@code name} is an executable file on the PATH. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
