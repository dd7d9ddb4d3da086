package org.buddygrid.demo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The launcher's working directory (default {@code demo/run}): {@code logs/} (one log per node
 * process, httpd's logs), {@code pids/} (one pid file per process the launcher started, so a
 * wrapper can clean up even after the launcher itself was killed), {@code httpd/} (its config and
 * runtime files), and {@code control.url} (where the running launcher's control server listens).
 */
public record RunDir(Path root) {
  public RunDir {
    root = root.toAbsolutePath().normalize();
  }

  /** Creates the directories (readable by others: httpd's workers run as another user). */
  public RunDir create() {
    try {
      for (Path p : new Path[] {root, logs(), pids(), httpd()}) {
        Files.createDirectories(p);
        p.toFile().setReadable(true, false);
        p.toFile().setExecutable(true, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run directory " + root, e);
    }
    return this;
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path pids() {
    return root.resolve("pids");
  }

  public Path httpd() {
    return root.resolve("httpd");
  }

  public Path controlUrlFile() {
    return root.resolve("control.url");
  }

  /** Writes {@code name}.pid. */
  public void writePid(String name, long pid) {
    write(pids().resolve(name + ".pid"), Long.toString(pid));
  }

  /** Removes {@code name}.pid. */
  public void removePid(String name) {
    try {
      Files.deleteIfExists(pids().resolve(name + ".pid"));
    } catch (IOException e) {
      // a stale pid file is checked against the process's command line before use
    }
  }

  /** The running launcher's control URL, if one is recorded. */
  public Optional<String> controlUrl() {
    try {
      return Optional.of(Files.readString(controlUrlFile(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void write(Path file, String text) {
    try {
      Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
