package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping a node hands its sessions over: a rolling restart loses nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandOffTest {

  @Test
  void stoppingAWebApplicationHandsItsSessionsToTheOtherNode() throws Exception {
    TwoNodeTest.ACTIVATIONS.clear();
    String cluster = Clusters.uniqueName("hand-off");
    try (TestNode node2 = TestNode.start("node2", cluster)) {
      Browser browser = new Browser();
      String base;
      try (TestNode node1 = TestNode.start("node1", cluster)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node1.grid().node().view().size() == 2);
        node1.handle(
            "fill",
            (req, resp) -> {
              req.getSession().setAttribute("cart", "three apples");
              req.getSession().setAttribute("tracked", new TwoNodeTest.Tracked("handed"));
            });
        browser.get(node1.uri("fill"));
        base = SessionId.parse(browser.sessionId()).orElseThrow().base();
      }
      assertThat(TwoNodeTest.ACTIVATIONS)
          .containsExactly(
              "passivate:handed:" + base + ".node1", "activate:handed:" + base + ".node2");
      node2.handle(
          "get", (req, resp) -> resp.getWriter().print(req.getSession().getAttribute("cart")));
      Browser.Page page = browser.get(node2.uri("get"));
      assertThat(page.body()).isEqualTo("three apples");
      assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + base + ".node2;");
    }
  }
}
