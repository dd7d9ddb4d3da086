package org.buddygrid.it.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.buddygrid.demo.JsonParser;
import org.buddygrid.demo.WebClient;
import org.buddygrid.demo.it.Children;
import org.buddygrid.demo.it.DemoClusters;
import org.buddygrid.demo.it.Tools;
import org.buddygrid.demo.launcher.DemoCluster;
import org.buddygrid.demo.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

/**
 * Apache httpd's {@code mod_proxy_balancer} in front of three demo node processes (the demo's
 * launcher starts them, on free ports, sticky on the route after the dot of {@code JSESSIONID}),
 * and a plain HTTP client with one cookie jar going through the balancer only. When the node that
 * owns its session is killed with {@code kill -9}, the next request succeeds with the counter where
 * the last acknowledged request left it, the cookie's route names the new owner, and the balancer
 * keeps every later request there. Killing a node that does not own the session changes nothing the
 * client can see.
 */
class BalancerFailoverIT {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final String COUNTER = "api/counter";
  private static final String SERVED_BY = "X-Served-By";

  private static DemoCluster demo;
  private static String balancer;

  /** Why the tests skip: httpd is missing (reported per test, where surefire shows it). */
  private static TestAbortedException noHttpd;

  @BeforeAll
  @Timeout(300)
  static void startNodesAndBalancer() throws Exception {
    try {
      Tools.requireApache();
    } catch (TestAbortedException e) {
      noHttpd = e;
      return;
    }
    demo = DemoClusters.startThreeNodesBehindHttpd("balancer-it-");
    balancer = demo.balancerUrl().orElseThrow();
  }

  @AfterAll
  static void stopEverything() {
    try {
      if (demo != null) {
        demo.close();
      }
    } finally {
      Children.killAll();
    }
  }

  /** All three nodes run (a test may have killed one) and each sees the other two. */
  @BeforeEach
  @Timeout(300)
  void threeNodesInOneGrid() throws Exception {
    if (noHttpd != null) {
      throw noHttpd;
    }
    for (NodeProcess n : demo.nodes()) {
      if (n.state() == NodeProcess.State.DOWN) {
        n.start(READY);
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (NodeProcess n : demo.nodes()) {
                assertThat(membersInView(n)).as("the grid as %s sees it", n.route()).isEqualTo(3);
              }
            });
  }

  @Test
  @Timeout(180)
  void theClientKeepsItsSessionThroughKillOfItsOwnerAndSticksToTheNewOwner() {
    WebClient client = new WebClient();
    String id = counterUpTo(client, 5);
    String owner = route(id);

    NodeProcess killed = demo.node(owner).orElseThrow();
    killed.kill(); // SIGKILL: no hand-off
    assertThat(killed.state()).isEqualTo(NodeProcess.State.DOWN);
    assertThat(killed.handle()).isEmpty();

    HttpResponse<String> failedOver = client.post(balancer + COUNTER);
    String newOwner = header(failedOver, SERVED_BY);
    assertThat(newOwner).isNotNull().isNotEqualTo(owner);
    String newId = base(id) + "." + newOwner;
    assertThat(sessionCookies(failedOver))
        .as("a new cookie whose route names the new owner")
        .containsExactly(newId);
    assertCounter(failedOver, 6, newId); // it continues from the last acknowledged value
    assertThat(client.sessionId()).contains(newId);

    counterOn(client, 7, 31, newId); // every request sticks to the new owner
  }

  @Test
  @Timeout(180)
  void killingTheSessionsBackupChangesNothingForTheClient() {
    WebClient client = new WebClient();
    String id = counterUpTo(client, 5);
    String owner = route(id);
    NodeProcess ownerNode = demo.node(owner).orElseThrow();
    // The node that holds the session's backup copy: of the nodes that do not own it, the one whose
    // loss matters most to the owner.
    @SuppressWarnings("unchecked")
    Map<String, Object> you =
        (Map<String, Object>)
            JsonParser.object(client.get(ownerNode.url() + "grid/api/state").body()).get("you");
    assertThat(you).containsEntry("owner", owner);
    @SuppressWarnings("unchecked")
    List<String> backups = (List<String>) you.get("backups");
    assertThat(backups).hasSize(1).doesNotContain(owner);

    NodeProcess backup = demo.node(backups.get(0)).orElseThrow();
    backup.kill(); // SIGKILL
    assertThat(backup.state()).isEqualTo(NodeProcess.State.DOWN);

    counterOn(client, 6, 30, id); // still served by the owner, under the same id
  }

  /**
   * Posts to the counter {@code times} times through the balancer: a new session, counted from 1,
   * every request served by the node its cookie names. Returns the session id.
   */
  private static String counterUpTo(WebClient client, int times) {
    HttpResponse<String> first = client.post(balancer + COUNTER);
    assertThat(first.statusCode()).isEqualTo(200);
    String id = (String) JsonParser.object(first.body()).get("sessionId");
    assertThat(sessionCookies(first)).containsExactly(id);
    assertCounter(first, 1, id);
    counterOn(client, 2, times, id);
    return id;
  }

  /**
   * Posts to the counter through the balancer, expecting the values {@code from} to {@code to} in
   * session {@code id}, each served by the node {@code id} names, and no new cookie.
   */
  private static void counterOn(WebClient client, int from, int to, String id) {
    for (int value = from; value <= to; value++) {
      HttpResponse<String> r = client.post(balancer + COUNTER);
      assertThat(sessionCookies(r)).as("request %d", value).isEmpty();
      assertCounter(r, value, id);
    }
  }

  /**
   * {@code r} answered the counter {@code value} in session {@code id}, and was served (body and
   * {@code X-Served-By}) by the node that {@code id}'s route names.
   */
  private static void assertCounter(HttpResponse<String> r, int value, String id) {
    assertThat(r.statusCode()).as("request %d: %s", value, r.body()).isEqualTo(200);
    assertThat(JsonParser.object(r.body()))
        .as("request %d", value)
        .containsEntry("value", (double) value)
        .containsEntry("sessionId", id)
        .containsEntry("servedBy", route(id));
    assertThat(header(r, SERVED_BY)).as("request %d", value).isEqualTo(route(id));
  }

  private static int membersInView(NodeProcess n) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> members =
        (List<Map<String, Object>>)
            JsonParser.object(new WebClient().get(n.url() + "grid/api/state").body())
                .get("members");
    return (int) members.stream().filter(m -> Boolean.TRUE.equals(m.get("inView"))).count();
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** The values of the {@code JSESSIONID} cookies {@code r} sets. */
  private static List<String> sessionCookies(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie").stream()
        .flatMap(h -> HttpCookie.parse(h).stream())
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(HttpCookie::getValue)
        .toList();
  }

  private static String route(String id) {
    return id.substring(id.lastIndexOf('.') + 1);
  }

  private static String base(String id) {
    return id.substring(0, id.lastIndexOf('.'));
  }
}
