package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In Tomcat mode a change that is not durable is never acknowledged: the response becomes a 503
 * (with the new owner's cookie when the session moved) if nothing was sent yet.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TomcatCommitFailureTest {

  @Test
  void aSessionTakenOverWhileItsRequestRunsAnswersThatRequestWith503() throws Exception {
    String cluster = Clusters.uniqueName("tomcat-moved");
    try (TomcatNode node1 = TomcatNode.start("node1", cluster);
        TomcatNode node2 = TomcatNode.start("node2", cluster)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> node1.grid().node().view().size() == 2);
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      node1.handle("create", (req, resp) -> req.getSession().setAttribute("a", "1"));
      node1.handle(
          "slow",
          (req, resp) -> {
            req.getSession().setAttribute("late", "lost");
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            resp.getWriter().print("the application thinks all went well");
          });
      node2.handle(
          "get",
          (req, resp) ->
              resp.getWriter().print(req.getSession().getAttribute(req.getParameter("name"))));

      Client client = new Client();
      client.get(node1.uri("create"));
      String base = SessionId.parse(client.sessionId()).orElseThrow().base();
      CompletableFuture<Client.Page> slow = client.getAsync(node1.uri("slow"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      // node1 waits its quiesce timeout (1 s) for the running request, then hands the session over.
      Client.Page onNode2 = new Client().sessionId(client.sessionId()).get(node2.uri("get?name=a"));
      assertThat(onNode2.body()).isEqualTo("1");
      release.countDown();

      Client.Page page = slow.get(30, TimeUnit.SECONDS);
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.headers().firstValue("Retry-After")).contains("1");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(page.body()).contains("moved to another server").contains("try again");
      assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + base + ".node2;");
    }
  }

  @Test
  void withAtRiskUnavailableAChangeNoBackupHoldsGets503() throws Exception {
    try (TomcatNode node =
        TomcatNode.start(
            "alone", Clusters.uniqueName("tomcat-at-risk"), m -> m.setAtRisk("UNAVAILABLE"))) {
      node.handle(
          "set",
          (req, resp) -> {
            req.getSession().setAttribute("a", "1");
            resp.getWriter().print("stored");
          });
      node.handle("read", (req, resp) -> resp.getWriter().print("read only"));
      Client client = new Client();
      Client.Page page = client.get(node.uri("set"));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body()).contains("could not be copied to a backup server");
      assertThat(page.headers().firstValue("Retry-After")).contains("1");
      assertThat(page.sessionCookie())
          .as("the session exists here; a retry may use it")
          .isNotNull();

      Client.Page read = client.get(node.uri("read"));
      assertThat(read.status()).as("a request that changes nothing is served").isEqualTo(200);
    }
  }

  @Test
  void aFailureAtAnEarlyMomentOfCommitReplacesTheResponseAndRefusesFurtherOutput()
      throws Exception {
    try (TomcatNode node =
        TomcatNode.start(
            "alone",
            Clusters.uniqueName("tomcat-at-risk-early"),
            m -> m.setAtRisk("UNAVAILABLE"))) {
      CompletableFuture<String> seenByApplication = new CompletableFuture<>();
      node.handle(
          "flush",
          (req, resp) -> {
            StringBuilder seen = new StringBuilder();
            req.getSession().setAttribute("a", "1");
            resp.getWriter().print("partial");
            try {
              resp.flushBuffer();
              seen.append("flushed");
            } catch (IOException e) {
              seen.append("refused: ").append(e.getMessage());
            }
            resp.getWriter().print("more");
            seen.append(" writer error=").append(resp.getWriter().checkError());
            seenByApplication.complete(seen.toString());
          });
      Client.Page page = new Client().get(node.uri("flush"));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body()).doesNotContain("partial").doesNotContain("more");
      assertThat(seenByApplication.get(30, TimeUnit.SECONDS))
          .startsWith("refused: the response was replaced by a 503")
          .endsWith("writer error=true");
    }
  }
}
