package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.core.testing.FrameFilter;
import org.buddygrid.replication.internal.Messages;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A commit that is not durable is answered with an error, never acknowledged. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitFailureTest {

  @Test
  void aRequestWhoseSessionMovedMeanwhileGets503AndACookieForTheNewOwner() throws Exception {
    String cluster = Clusters.uniqueName("moved");
    var params1 = TestNode.params("node1", cluster);
    params1.put("buddygrid.quiesce-timeout", "200ms");
    try (TestNode node1 = TestNode.start(params1);
        TestNode node2 = TestNode.start("node2", cluster)) {
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

      Browser browser = new Browser();
      browser.get(node1.uri("create"));
      String base = SessionId.parse(browser.sessionId()).orElseThrow().base();
      CompletableFuture<Browser.Page> slow = browser.getAsync(node1.uri("slow"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      // Another request for the session reaches node2 while node1's request is still running:
      // node1 waits its quiesce timeout for the request, then hands the session over.
      Browser.Page onNode2 =
          new Browser().sessionId(browser.sessionId()).get(node2.uri("get?name=a"));
      assertThat(onNode2.body()).isEqualTo("1");
      release.countDown();

      Browser.Page page = slow.get(30, TimeUnit.SECONDS);
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.raw().headers().firstValue("Retry-After")).contains("1");
      assertThat(page.raw().headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(page.body()).contains("moved to another server").contains("try again");
      assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + base + ".node2;");
    }
  }

  @Test
  void aChangeNoBackupConfirmedWhileOthersAreInTheViewGets503EvenWithAtRiskServe()
      throws Exception {
    String cluster = Clusters.uniqueName("unconfirmed");
    var params1 = TestNode.params("node1", cluster);
    params1.put("buddygrid.replication-timeout", "300ms");
    try (TestNode node1 = TestNode.start(params1);
        TestNode node2 = TestNode.start("node2", cluster)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> node1.grid().node().view().size() == 2);
      node1.handle(
          "inc",
          (req, resp) -> {
            Integer n = (Integer) req.getSession().getAttribute("n");
            req.getSession().setAttribute("n", n == null ? 1 : n + 1);
            resp.getWriter().print(req.getSession().getAttribute("n"));
          });
      Browser browser = new Browser();
      assertThat(browser.get(node1.uri("inc")).body()).isEqualTo("1");
      // The backup stays in the view but confirms nothing: what a node paused past failure
      // detection sees when it wakes (the others drop its messages).
      try (FrameFilter silent =
          FrameFilter.drop(
              node2.grid().node(), ReplicationCatalog.catalog().typeId(Messages.Replicate.class))) {
        Browser.Page page = browser.get(node1.uri("inc"));
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.raw().headers().firstValue("Retry-After")).contains("1");
        assertThat(page.body()).contains("could not be copied to a backup server");
      }
      // The refused change may or may not be kept (never acknowledged); later ones are confirmed.
      Browser.Page after = browser.get(node1.uri("inc"));
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.body()).isIn("2", "3");
    }
  }

  @Test
  void withAtRiskUnavailableAChangeNoBackupHoldsGets503() throws Exception {
    var params = TestNode.params("alone", Clusters.uniqueName("at-risk"));
    params.put("buddygrid.at-risk", "UNAVAILABLE");
    try (TestNode node = TestNode.start(params)) {
      node.handle(
          "set",
          (req, resp) -> {
            req.getSession().setAttribute("a", "1");
            resp.getWriter().print("stored");
          });
      node.handle("read", (req, resp) -> resp.getWriter().print("read only"));
      Browser browser = new Browser();
      Browser.Page page = browser.get(node.uri("set"));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body()).contains("could not be copied to a backup server");
      assertThat(page.raw().headers().firstValue("Retry-After")).contains("1");
      assertThat(page.sessionCookie())
          .as("the session exists here; a retry may use it")
          .isNotNull();

      Browser.Page read = browser.get(node.uri("read"));
      assertThat(read.status()).as("a request that changes nothing is served").isEqualTo(200);
    }
  }

  @Test
  void aFailureAtAnEarlyMomentOfCommitReplacesTheResponseAndRefusesFurtherOutput()
      throws Exception {
    var params = TestNode.params("alone", Clusters.uniqueName("at-risk-early"));
    params.put("buddygrid.at-risk", "UNAVAILABLE");
    try (TestNode node = TestNode.start(params)) {
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
            } catch (java.io.IOException e) {
              seen.append("refused: ").append(e.getMessage());
            }
            resp.getWriter().print("more");
            seen.append(" writer error=").append(resp.getWriter().checkError());
            seenByApplication.complete(seen.toString());
          });
      Browser.Page page = new Browser().get(node.uri("flush"));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body()).doesNotContain("partial").doesNotContain("more");
      // The 503 went out at the flush: the application may still be running.
      assertThat(seenByApplication.get(30, TimeUnit.SECONDS))
          .startsWith("refused: the response was replaced by a 503")
          .endsWith("writer error=true");
    }
  }
}
