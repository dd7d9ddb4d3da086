package org.buddygrid.demo.it;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Teardown for tests that start processes: nothing they started may outlive them. */
public final class Children {
  private Children() {}

  /** Kills every descendant process of this JVM (node JVMs, httpd, chromedriver, chromium). */
  public static void killAll() {
    List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported by the assertion below
      }
    }
    List<Long> left =
        ProcessHandle.current()
            .descendants()
            .filter(ProcessHandle::isAlive)
            .map(ProcessHandle::pid)
            .toList();
    if (!left.isEmpty()) {
      throw new IllegalStateException("child processes still running: " + left);
    }
  }
}
