package org.buddygrid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {
  private static NodeOptions valid(String... args) {
    NodeOptions.Parsed p = NodeOptions.parse(args);
    assertThat(p).isInstanceOf(NodeOptions.Valid.class);
    return ((NodeOptions.Valid) p).options();
  }

  private static java.util.List<String> problems(String... args) {
    NodeOptions.Parsed p = NodeOptions.parse(args);
    assertThat(p).isInstanceOf(NodeOptions.Invalid.class);
    return ((NodeOptions.Invalid) p).problems();
  }

  @Test
  void theDocumentedCommandLineParses() {
    NodeOptions o =
        valid(
            "--route",
            "node1",
            "--http-port",
            "8081",
            "--jgroups-port",
            "7900",
            "--initial-hosts",
            "127.0.0.1[7900],127.0.0.1[7901],127.0.0.1[7902]",
            "--bind",
            "127.0.0.1",
            "--stack",
            "tcp",
            "--mode",
            "filter",
            "--timing",
            "ASYNC",
            "--backups",
            "2");
    assertThat(o.route()).isEqualTo("node1");
    assertThat(o.initialHosts()).isEqualTo("127.0.0.1[7900],127.0.0.1[7901],127.0.0.1[7902]");
    assertThat(o.timing()).isEqualTo("ASYNC");
    assertThat(o.backups()).isEqualTo(2);
    assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:8081/");
  }

  @Test
  void defaultsApplyAndEqualsSignsWork() {
    NodeOptions o = valid("--route=n2", "--timing=interval");
    assertThat(o.httpPort()).isEqualTo(8081);
    assertThat(o.jgroupsPort()).isEqualTo(7900);
    assertThat(o.initialHosts()).isEqualTo("127.0.0.1[7900]");
    assertThat(o.bind()).isEqualTo("127.0.0.1");
    assertThat(o.stack()).isEqualTo("tcp");
    assertThat(o.mode()).isEqualTo("filter");
    assertThat(o.timing()).isEqualTo("INTERVAL");
    assertThat(o.cluster()).isEqualTo("buddygrid-demo");
    assertThat(o.controlUrl()).isEqualTo(Optional.empty());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(problems("--rout", "x", "--http-port", "70000", "--mode", "jetty", "--backups", "0"))
        .containsExactly(
            "unknown option --rout: did you mean --route?",
            "--route is required, e.g. --route node1",
            "--http-port 70000 is not valid: use a number from 1 to 65535",
            "--mode jetty is not valid: use filter or tomcat",
            "--backups 0 is not valid: use a number from 1 to 8");
    assertThat(problems("--route", "bad route!")).anyMatch(p -> p.contains("not valid"));
    assertThat(problems("--route", "n", "--initial-hosts", "localhost:7900"))
        .anyMatch(p -> p.startsWith("--initial-hosts"));
    assertThat(problems("--route", "n", "--control-url", "http://example.com:9/"))
        .anyMatch(p -> p.contains("loopback"));
    assertThat(problems("--route", "n", "--stack", "loopback")).hasSize(1);
    assertThat(problems("--route"))
        .containsExactly(
            "--route needs a value: --route NAME", "--route is required, e.g. --route node1");
    assertThat(problems("node1")).first().asString().contains("options start with --");
  }

  @Test
  void faultControlIsOffUnlessAPortIsGiven() {
    assertThat(valid("--route", "node1").faultControlPort()).isEmpty();
    assertThat(valid("--route", "node1", "--fault-control-port", "9101").faultControlPort())
        .hasValue(9101);
    assertThat(problems("--route", "node1", "--fault-control-port", "0"))
        .containsExactly("--fault-control-port 0 is not valid: use a number from 1 to 65535");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    String help = NodeOptions.help();
    for (NodeOptions.Option o : NodeOptions.OPTIONS) {
      assertThat(help).contains(o.name());
    }
    assertThat(help)
        .contains("(default: 8081)", "(default: 7900)", "(default: 127.0.0.1)", "(default: tcp)")
        .contains("(default: filter)", "(default: SYNC)", "(default: 1)");
  }

  @Test
  void mainExitsWithTwoOnBadOptionsAndZeroOnHelp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(DemoMain.run(new String[] {"--bogus"}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: unknown option --bogus");
    assertThat(DemoMain.run(new String[] {"--help"}, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--initial-hosts");
  }
}
