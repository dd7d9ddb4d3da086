package org.buddygrid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two demo nodes in this JVM (two Tomcats, two grids on the tcp stack, loopback only): the shop,
 * the JSON API, the state endpoint and the control endpoint's guards.
 */
class DemoNodeTest {
  private static DemoNode node1;
  private static DemoNode node2;
  private static String url1;
  private static String url2;

  @BeforeAll
  static void start() throws Exception {
    int jgroups = Ports.consecutive(2, true);
    int http = Ports.consecutive(2, false);
    String hosts = "127.0.0.1[" + jgroups + "],127.0.0.1[" + (jgroups + 1) + "]";
    String cluster = "demo-node-test-" + UUID.randomUUID();
    node1 = new DemoNode(options("node1", http, jgroups, hosts, cluster)).start();
    node2 = new DemoNode(options("node2", http + 1, jgroups + 1, hosts, cluster)).start();
    url1 = node1.options().baseUrl();
    url2 = node2.options().baseUrl();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node1.grid().orElseThrow().node().view().size() == 2);
  }

  static NodeOptions options(String route, int http, int jgroups, String hosts, String cluster) {
    return ((NodeOptions.Valid)
            NodeOptions.parse(
                new String[] {
                  "--route",
                  route,
                  "--http-port",
                  Integer.toString(http),
                  "--jgroups-port",
                  Integer.toString(jgroups),
                  "--initial-hosts",
                  hosts,
                  "--cluster",
                  cluster
                }))
        .options();
  }

  @AfterAll
  static void stop() {
    if (node2 != null) {
      node2.stop();
    }
    if (node1 != null) {
      node1.stop();
    }
  }

  @Test
  void theCounterFollowsTheSessionFromNodeToNodeAndGetCreatesNoSession() {
    WebClient browser = new WebClient();
    HttpResponse<String> none = browser.get(url1 + "api/counter");
    assertThat(JsonParser.object(none.body()))
        .containsEntry("value", 0.0)
        .containsEntry("sessionId", null);
    assertThat(none.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(none.headers().firstValue("X-Served-By")).contains("node1");

    assertThat(browser.postJson(url1 + "api/counter"))
        .containsEntry("value", 1.0)
        .containsEntry("servedBy", "node1");
    Map<String, Object> second = browser.postJson(url2 + "api/counter");
    assertThat(second).containsEntry("value", 2.0).containsEntry("servedBy", "node2");
    assertThat((String) second.get("sessionId")).endsWith(".node2");
    assertThat(JsonParser.object(browser.get(url2 + "api/counter").body()))
        .containsEntry("value", 2.0);
  }

  @Test
  void signingInChangesTheSessionIdAndKeepsTheCart() {
    WebClient browser = new WebClient();
    assertThat(browser.get(url1).headers().firstValue("Set-Cookie"))
        .as("reading creates no session")
        .isEmpty();
    HttpResponse<String> added = browser.post(url1 + "cart/add", "sku=mug");
    assertThat(added.statusCode()).isEqualTo(302);
    String before = browser.sessionId().orElseThrow();
    browser.post(url1 + "login", "user=alice");
    String after = browser.sessionId().orElseThrow();
    assertThat(after).isNotEqualTo(before);
    browser.post(url2 + "api/cart", "sku=espresso&quantity=2");
    Map<String, Object> cart = JsonParser.object(browser.get(url2 + "api/cart").body());
    assertThat(cart)
        .containsEntry("user", "alice")
        .containsEntry("count", 3.0)
        .containsEntry("servedBy", "node2");
    String page = browser.get(url2).body();
    assertThat(page)
        .contains(
            "id=\"user\">alice<", "id=\"cart-count\">3<", "Grid mug", "id=\"served-by\">node2<");
    assertThat(browser.post(url2 + "api/cart", "sku=nothing").statusCode()).isEqualTo(400);
    browser.post(url2 + "logout");
    assertThat(JsonParser.object(browser.get(url2 + "api/cart").body()))
        .containsEntry("count", 0.0);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theStateShowsEveryMemberAndWhereYourSessionIs() {
    WebClient browser = new WebClient();
    browser.postJson(url1 + "api/counter");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Object> s =
                  JsonParser.object(browser.get(url2 + "grid/api/state").body());
              assertThat(s).containsEntry("servedBy", "node2").containsEntry("gridAvailable", true);
              List<Map<String, Object>> members = (List<Map<String, Object>>) s.get("members");
              assertThat(members)
                  .extracting(m -> m.get("route"))
                  .containsExactlyInAnyOrder("node1", "node2");
              assertThat(members).allSatisfy(m -> assertThat(m).containsEntry("answered", true));
              Map<String, Object> you = (Map<String, Object>) s.get("you");
              assertThat(you).containsEntry("owner", "node1").containsEntry("known", true);
              assertThat((List<Object>) you.get("backups")).containsExactly("node2");
              assertThat((Map<String, Object>) s.get("control")).containsEntry("available", false);
            });
    assertThat(node1.grid().orElseThrow().isOwner(browser.sessionId().orElseThrow()))
        .as("the state never takes the session over")
        .isTrue();
  }

  @Test
  void theDashboardIsServedAndTheControlEndpointIsGuarded() {
    WebClient browser = new WebClient();
    assertThat(browser.get(url1 + "grid").body()).contains("<title>BuddyGrid dashboard</title>");
    assertThat(browser.get(url1 + "grid/static/grid.js").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(browser.get(url1 + "grid/static/nothing.js").statusCode()).isEqualTo(404);
    assertThat(browser.get(url1 + "nothing").statusCode()).isEqualTo(404);
    String control = url1 + "grid/api/control?action=kill&node=node2";
    assertThat(browser.post(control).statusCode()).as("no header").isEqualTo(403);
    HttpResponse<String> noLauncher =
        browser.send(
            HttpRequest.newBuilder(URI.create(control))
                .header("X-BuddyGrid-Control", "1")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noLauncher.statusCode()).isEqualTo(501);
    assertThat(noLauncher.body()).contains("./demo/buddygrid-demo start");
    HttpResponse<String> badAction =
        browser.send(
            HttpRequest.newBuilder(URI.create(url1 + "grid/api/control?action=explode&node=node2"))
                .header("X-BuddyGrid-Control", "1")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(badAction.statusCode()).isEqualTo(400);
  }
}
