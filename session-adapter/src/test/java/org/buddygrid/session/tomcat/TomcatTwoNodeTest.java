package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two embedded Tomcats in one JVM, each with {@link BuddyGridManager}, on the loopback stack: a
 * session created on one is served by the other with everything in it, its cookie names the new
 * owner's route, and Tomcat's listeners and the activation listeners hear what they should.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TomcatTwoNodeTest {
  private static TomcatNode node1;
  private static TomcatNode node2;
  private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void start() throws Exception {
    String cluster = Clusters.uniqueName("tomcat-two-nodes");
    node1 = TomcatNode.start("node1", cluster);
    node2 = TomcatNode.start("node2", cluster);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> node1.grid().node().view().size() == 2 && node2.grid().node().view().size() == 2);
    for (TomcatNode n : List.of(node1, node2)) {
      n.handle(
          "fill",
          (req, resp) -> {
            HttpSession s = req.getSession();
            s.setAttribute("text", "hello");
            s.setAttribute("number", 42);
            s.setAttribute("cart", new Recorder.Cart("ann", List.of("apple", "pear")));
            s.setAttribute("tracked", new Recorder.Tracked(req.getParameter("label")));
          });
      n.handle("show", TomcatTwoNodeTest::show);
      n.handle("invalidate", (req, resp) -> req.getSession().invalidate());
      n.handle(
          "async",
          (req, resp) -> {
            AsyncContext async = req.startAsync();
            WORKERS.submit(
                () -> {
                  HttpServletRequest r = (HttpServletRequest) async.getRequest();
                  r.getSession().setAttribute("async", "done");
                  try {
                    async.getResponse().getWriter().print("async ok");
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  async.complete();
                });
          });
    }
  }

  /** Answers the session's attributes, sorted: {@code name=value ...}, or {@code no session}. */
  static void show(HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
      throws IOException {
    HttpSession s = req.getSession(false);
    if (s == null) {
      resp.getWriter().print("no session");
      return;
    }
    StringBuilder b = new StringBuilder();
    for (String name : new TreeSet<>(Collections.list(s.getAttributeNames()))) {
      b.append(name).append('=').append(s.getAttribute(name)).append(' ');
    }
    resp.getWriter().print(b.toString().strip());
  }

  @AfterAll
  static void stop() throws Exception {
    WORKERS.shutdownNow();
    node2.close();
    node1.close();
  }

  @Test
  void aSessionFromNode1IsServedByNode2AndTheCookieNamesNode2() throws Exception {
    Client client = new Client();
    client.get(node1.uri("fill?label=first"));
    SessionId first = SessionId.parse(client.sessionId()).orElseThrow();
    assertThat(first.route()).isEqualTo("node1");

    Client.Page onNode2 = client.get(node2.uri("show"));
    assertThat(onNode2.body())
        .isEqualTo(
            "cart=Cart[owner=ann, items=[apple, pear]] number=42 text=hello"
                + " tracked=tracked(first)");
    // Tomcat's own session cookie, with node2's route: the balancer sticks to node2 now.
    assertThat(onNode2.sessionCookie())
        .isEqualTo("JSESSIONID=" + first.base() + ".node2; Path=/app; HttpOnly");
    // Created once (node1); node1 lets go, then node2 activates it under its own route.
    assertThat(Recorder.of(first.base()))
        .containsExactly(
            "created:" + first.base() + ".node1",
            "passivate:first:" + first.base() + ".node1",
            "activate:first:" + first.base() + ".node2");

    Client.Page again = client.get(node2.uri("show"));
    assertThat(again.body()).contains("text=hello");
    assertThat(again.sessionCookie()).as("sticky now: nothing to send again").isNull();

    Client.Page back = client.get(node1.uri("show"));
    assertThat(back.body()).contains("number=42");
    assertThat(back.sessionCookie()).startsWith("JSESSIONID=" + first.base() + ".node1;");
  }

  @Test
  void concurrentRequestsForOneSessionOnOneNodeLoseNoUpdate() throws Exception {
    int requests = 12;
    CountDownLatch together = new CountDownLatch(requests);
    node1.handle(
        "concurrent",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          s.setAttribute("k" + req.getParameter("i"), req.getParameter("i"));
          together.countDown();
          together.await(20, TimeUnit.SECONDS); // every request holds the session at once
        });
    Client client = new Client();
    client.get(node1.uri("fill?label=c"));
    List<CompletableFuture<Client.Page>> inFlight = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inFlight.add(client.getAsync(node1.uri("concurrent?i=" + i)));
    }
    for (CompletableFuture<Client.Page> f : inFlight) {
      assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    String shown = client.get(node2.uri("show")).body();
    for (int i = 0; i < requests; i++) {
      assertThat(shown).contains("k" + i + "=" + i);
    }
  }

  @Test
  void anAsynchronousRequestCommitsWhenItCompletes() throws Exception {
    Client client = new Client();
    client.get(node1.uri("fill?label=a"));
    Client.Page page = client.get(node1.uri("async"));
    assertThat(page.body()).isEqualTo("async ok");
    assertThat(client.get(node2.uri("show")).body()).contains("async=done");
  }

  @Test
  void aSessionInvalidatedOnTheOtherNodeIsGoneEverywhere() throws Exception {
    Client client = new Client();
    client.get(node1.uri("fill?label=i"));
    String id = client.sessionId();
    String base = SessionId.parse(id).orElseThrow().base();
    client.get(node2.uri("invalidate"));
    assertThat(new Client().sessionId(id).get(node1.uri("show")).body()).isEqualTo("no session");
    assertThat(Recorder.of(base)).endsWith("destroyed:" + base + ".node2");
  }

  @Test
  void aStaleRouteForASessionOwnedHereGetsTheCookieFixed() throws Exception {
    Client client = new Client();
    client.get(node1.uri("fill?label=s"));
    SessionId id = SessionId.parse(client.sessionId()).orElseThrow();
    Client.Page page = new Client().sessionId(id.base() + ".node7").get(node1.uri("show"));
    assertThat(page.body()).contains("text=hello");
    assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + id.base() + ".node1;");
  }
}
