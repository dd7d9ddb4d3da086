package org.buddygrid.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.buddygrid.demo.JsonParser;
import org.buddygrid.demo.Ports;
import org.buddygrid.demo.SessionMode;
import org.buddygrid.demo.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node process as scripts use it: three JVMs from the demo jar on loopback, a counter in one
 * session posted through different nodes, one node killed with {@code kill -9} and another stopped
 * with SIGTERM: the counter goes on without a gap.
 */
class NodeProcessIT {
  private static final Duration READY = Duration.ofSeconds(120);

  @AfterEach
  void killEverything() {
    Children.killAll();
  }

  @Test
  @Timeout(240)
  void countersContinueWithoutAGapWhenTheOwnerIsKilledAndAnotherNodeStops() throws Exception {
    int jgroups = Ports.consecutive(3, true);
    int http = Ports.consecutive(3, false);
    String hosts =
        "127.0.0.1["
            + jgroups
            + "],127.0.0.1["
            + (jgroups + 1)
            + "],127.0.0.1["
            + (jgroups + 2)
            + "]";
    String cluster = "node-process-it-" + UUID.randomUUID();
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(
          NodeProcess.start(
              "node" + (i + 1),
              http + i,
              List.of(
                  "--route",
                  "node" + (i + 1),
                  "--http-port",
                  Integer.toString(http + i),
                  "--jgroups-port",
                  Integer.toString(jgroups + i),
                  "--initial-hosts",
                  hosts,
                  "--bind",
                  "127.0.0.1",
                  "--stack",
                  "tcp",
                  "--cluster",
                  cluster)));
      if (i == 0) {
        nodes.get(0).awaitReady(READY); // the first forms the grid; the others join it
      }
    }
    nodes.get(1).awaitReady(READY);
    nodes.get(2).awaitReady(READY);
    assertThat(nodes.get(0).output()).contains("READY node1 http://127.0.0.1:" + http + "/");

    WebClient browser = new WebClient();
    int expected = 0;
    NodeProcess owner = null;
    for (int i : new int[] {0, 1, 2, 0, 1}) {
      Map<String, Object> r = browser.postJson(nodes.get(i).url + "api/counter");
      assertThat(r)
          .containsEntry("value", (double) ++expected)
          .containsEntry("servedBy", nodes.get(i).route);
      assertThat((String) r.get("sessionId")).endsWith("." + nodes.get(i).route);
      owner = nodes.get(i);
    }

    HttpResponse<String> fresh = new WebClient().get(nodes.get(2).url + "api/counter");
    assertThat(JsonParser.object(fresh.body())).containsEntry("value", 0.0);
    assertThat(fresh.headers().firstValue("Set-Cookie")).as("GET creates no session").isEmpty();

    owner.process.destroyForcibly(); // kill -9
    assertThat(owner.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);
    List<NodeProcess> alive = new ArrayList<>(nodes);
    alive.remove(owner);
    for (NodeProcess n : List.of(alive.get(0), alive.get(1), alive.get(0))) {
      Map<String, Object> r = browser.postJson(n.url + "api/counter");
      assertThat(r)
          .as("after the kill, through " + n.route)
          .containsEntry("value", (double) ++expected);
    }

    NodeProcess leaving = alive.get(0); // it owns the session now: it hands it over
    NodeProcess last = alive.get(1);
    leaving.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our pipe)
    assertThat(leaving.awaitExit(Duration.ofSeconds(60))).as("a graceful stop").isZero();
    assertThat(leaving.output()).contains("STOPPING " + leaving.route, "STOPPED " + leaving.route);
    Map<String, Object> r = browser.postJson(last.url + "api/counter");
    assertThat(r).containsEntry("value", (double) ++expected).containsEntry("servedBy", last.route);
  }

  @Test
  @Timeout(60)
  void badOptionsExitWithTwoAndHelpListsEveryOption() throws Exception {
    CompletableFuture<NodeProcess> bad =
        CompletableFuture.supplyAsync(
            () -> start(List.of("--route", "n1", "--http-port", "x", "--bogus")));
    NodeProcess help = start(List.of("--help"));
    assertThat(help.awaitExit(Duration.ofSeconds(30))).isZero();
    assertThat(help.output())
        .contains(
            "--route",
            "--http-port PORT",
            "(default: 8081)",
            "--jgroups-port PORT",
            "(default: 7900)")
        .contains("--initial-hosts", "--bind", "--stack", "--mode", "--timing", "--backups");
    NodeProcess b = bad.get();
    assertThat(b.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(b.output()).contains("--http-port x is not valid", "unknown option --bogus");
    if (!tomcatModeBuilt()) {
      NodeProcess tomcat = start(List.of("--route", "n1", "--mode", "tomcat"));
      assertThat(tomcat.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(tomcat.output()).contains("not available in this build");
    }
  }

  private static boolean tomcatModeBuilt() {
    try {
      Class.forName(SessionMode.MANAGER_CLASS);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static NodeProcess start(List<String> args) {
    try {
      return NodeProcess.start("n", 0, args);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
