package org.buddygrid.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
  @TempDir Path dir;

  @Test
  void optionsHaveTheDocumentedDefaultsAndAreChecked() {
    LauncherOptions.Parsed d = LauncherOptions.parse(List.of());
    assertThat(d.problems()).isEmpty();
    assertThat(d.options().nodes()).isEqualTo(3);
    assertThat(d.options().port()).isEqualTo(8080);
    assertThat(d.options().httpPort()).isEqualTo(8081);
    assertThat(d.options().jgroupsPort()).isEqualTo(7900);
    assertThat(d.options().balancer()).isTrue();
    assertThat(d.options().runDir()).isEqualTo(Path.of("demo", "run"));
    LauncherOptions.Parsed p =
        LauncherOptions.parse(
            List.of(
                "--nodes", "2", "--backups", "2", "--mode", "jetty", "--port", "x", "--what", "1"));
    assertThat(p.problems())
        .containsExactlyInAnyOrder(
            "--port x is not valid: use a number from 1 to 65535",
            "unknown option --what",
            "--mode must be filter or tomcat",
            "--backups 2 needs more than 2 nodes");
    assertThat(LauncherOptions.parse(List.of("--no-balancer")).options().balancer()).isFalse();
  }

  @Test
  void theBalancerIsStickyOnTheRouteAndListensOnLoopbackOnly() {
    RunDir run = new RunDir(dir);
    String conf =
        Balancer.config(
            run,
            Path.of("/usr/lib/apache2/modules"),
            18080,
            List.of(new Balancer.Member("node1", 18081), new Balancer.Member("node2", 18082)));
    assertThat(conf)
        .contains("Listen 127.0.0.1:18080\n")
        .contains("BalancerMember \"http://127.0.0.1:18081\" route=node1 ")
        .contains("BalancerMember \"http://127.0.0.1:18082\" route=node2 ")
        .contains("stickysession=JSESSIONID|jsessionid")
        .contains("PidFile \"" + dir.resolve("httpd").resolve("httpd.pid") + "\"")
        .contains("ErrorLog \"" + dir.resolve("logs") + "/httpd-error.log\"")
        .contains("Require ip 127.0.0.1");
    assertThat(conf.lines().filter(l -> l.startsWith("Listen"))).hasSize(1);
  }

  @Test
  void usageErrorsExitWithTwoAndCommandsWithoutADemoWithOne() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Launcher.run(new String[] {"explode"}, out, e)).isEqualTo(2);
    assertThat(Launcher.run(new String[] {"kill"}, out, e)).isEqualTo(2);
    assertThat(Launcher.run(new String[] {"start", "--nodes", "zero"}, out, e)).isEqualTo(2);
    assertThat(Launcher.run(new String[] {"help"}, out, e)).isZero();
    assertThat(Launcher.run(new String[] {"status", "--run-dir", dir.toString()}, out, e))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown command explode", "kill needs one node", "no demo is running from");
  }
}
