package org.buddygrid.demo.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.buddygrid.demo.launcher.Balancer;

/**
 * The external programs the demo's integration tests need (Apache httpd; Debian's chromium and
 * chromedriver). Missing ones are installed by {@code demo/install-tools.sh} when that is possible
 * (root and apt-get; {@code -Dbuddygrid.demo.install-tools} names the script for tests outside the
 * demo's directory). A test is skipped, with a message naming what to install, only when a program
 * is absent and cannot be installed, and never in CI ({@code CI} or {@code
 * BUDDYGRID_DEMO_REQUIRE_TOOLS=1} set): there it fails instead.
 */
public final class Tools {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Tools() {}

  /** Makes sure Apache httpd is there. */
  public static void requireApache() {
    require("apache2", () -> Balancer.findBinary().isPresent(), Balancer.installHint());
  }

  /** Makes sure chromium and chromedriver are there. */
  static void requireChromium() {
    require(
        "chromium",
        () -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver): apt-get install -y chromium chromium-driver");
  }

  private static synchronized void require(
      String tool, java.util.function.BooleanSupplier present, String hint) {
    if (present.getAsBoolean()) {
      return;
    }
    String installed = install(tool);
    if (present.getAsBoolean()) {
      return;
    }
    String message = hint + " (" + installed + ")";
    boolean required =
        System.getenv("CI") != null || "1".equals(System.getenv("BUDDYGRID_DEMO_REQUIRE_TOOLS"));
    if (required) {
      fail("CI must run this test, but: " + message);
    }
    assumeTrue(false, "skipped: " + message);
  }

  private static String install(String tool) {
    if ("false".equals(System.getProperty("buddygrid.demo.install"))) {
      return "installing is turned off by -Dbuddygrid.demo.install=false";
    }
    Path script =
        Path.of(System.getProperty("buddygrid.demo.install-tools", "install-tools.sh"))
            .toAbsolutePath();
    if (!Files.isExecutable(script)) {
      return "no " + script;
    }
    List<String> cmd = new ArrayList<>(List.of(script.toString(), tool));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return "install-tools.sh did not finish in 10 minutes";
      }
      return p.exitValue() == 0 ? "installed" : out.strip();
    } catch (IOException e) {
      return "install-tools.sh failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
