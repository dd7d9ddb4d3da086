package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping a node hands its sessions over: a rolling restart of Tomcats managed by {@link
 * BuddyGridManager} loses nothing, and the last node alone ends its sessions as {@code
 * StandardManager} does.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TomcatHandOffTest {
  private static final int SESSIONS = 50;

  @Test
  void stoppingNode1GracefullyHandsAllItsSessionsToNode2() throws Exception {
    String cluster = Clusters.uniqueName("tomcat-hand-off");
    try (TomcatNode node2 = TomcatNode.start("node2", cluster)) {
      node2.handle("show", TomcatTwoNodeTest::show);
      List<Client> clients = new ArrayList<>();
      try (TomcatNode node1 = TomcatNode.start("node1", cluster)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node1.grid().node().view().size() == 2);
        node1.handle(
            "fill",
            (req, resp) -> {
              req.getSession().setAttribute("n", req.getParameter("n"));
              req.getSession().setAttribute("tracked", new Recorder.Tracked("h"));
            });
        for (int i = 0; i < SESSIONS; i++) {
          Client c = new Client();
          assertThat(c.get(node1.uri("fill?n=" + i)).status()).isEqualTo(200);
          assertThat(c.sessionId()).endsWith(".node1");
          clients.add(c);
        }
        assertThat(node1.manager().getActiveSessions()).isEqualTo(SESSIONS);
      }
      assertThat(node2.manager().getActiveSessions()).isEqualTo(SESSIONS);
      for (int i = 0; i < SESSIONS; i++) {
        Client c = clients.get(i);
        String base = SessionId.parse(c.sessionId()).orElseThrow().base();
        assertThat(Recorder.of(base))
            .containsExactly(
                "created:" + base + ".node1",
                "passivate:h:" + base + ".node1",
                "activate:h:" + base + ".node2");
        Client.Page page = c.get(node2.uri("show"));
        assertThat(page.body()).isEqualTo("n=" + i + " tracked=tracked(h)");
        assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + base + ".node2;");
      }
    }
  }

  @Test
  void theLastNodeToStopEndsItsSessionsAndTellsTheListeners() throws Exception {
    String base;
    try (TomcatNode alone = TomcatNode.start("node1", Clusters.uniqueName("tomcat-alone"))) {
      alone.handle("fill", (req, resp) -> req.getSession().setAttribute("n", "1"));
      Client c = new Client();
      c.get(alone.uri("fill"));
      base = SessionId.parse(c.sessionId()).orElseThrow().base();
    }
    assertThat(Recorder.of(base))
        .containsExactly("created:" + base + ".node1", "destroyed:" + base + ".node1");
  }
}
