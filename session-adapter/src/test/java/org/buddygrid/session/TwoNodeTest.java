package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
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
 * Two embedded Tomcats in one JVM on the loopback stack: a session created on one is served by the
 * other with everything in it, and the cookie follows the new owner.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoNodeTest {
  static final List<String> ACTIVATIONS = Collections.synchronizedList(new ArrayList<>());

  /** A session value that wants to know when its session moves between nodes. */
  public static final class Tracked implements HttpSessionActivationListener {
    String label;

    public Tracked() {}

    Tracked(String label) {
      this.label = label;
    }

    @Override
    public void sessionWillPassivate(HttpSessionEvent se) {
      ACTIVATIONS.add("passivate:" + label + ":" + se.getSession().getId());
    }

    @Override
    public void sessionDidActivate(HttpSessionEvent se) {
      ACTIVATIONS.add("activate:" + label + ":" + se.getSession().getId());
    }
  }

  /** An application type stored in the session. */
  public record Cart(String owner, List<String> items) {}

  private static TestNode node1;
  private static TestNode node2;
  private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void start() throws Exception {
    String cluster = Clusters.uniqueName("two-nodes");
    node1 = TestNode.start("node1", cluster);
    node2 = TestNode.start("node2", cluster);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> node1.grid().node().view().size() == 2 && node2.grid().node().view().size() == 2);
    for (TestNode n : List.of(node1, node2)) {
      n.handle(
          "fill",
          (req, resp) -> {
            HttpSession s = req.getSession();
            s.setAttribute("text", "hello");
            s.setAttribute("number", 42);
            s.setAttribute("cart", new Cart("ann", List.of("apple", "pear")));
            s.setAttribute("tracked", new Tracked(req.getParameter("label")));
          });
      n.handle(
          "show",
          (req, resp) -> {
            HttpSession s = req.getSession(false);
            if (s == null) {
              resp.getWriter().print("no session");
              return;
            }
            StringBuilder b = new StringBuilder();
            for (String name : new TreeSet<>(Collections.list(s.getAttributeNames()))) {
              Object v = s.getAttribute(name);
              b.append(name).append('=').append(v instanceof Tracked t ? t.label : v).append(' ');
            }
            resp.getWriter().print(b.toString().strip());
          });
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
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                  async.complete();
                });
          });
    }
  }

  @AfterAll
  static void stop() throws Exception {
    WORKERS.shutdownNow();
    node2.close();
    node1.close();
  }

  @Test
  void aSessionFromNode1IsServedByNode2AndTheCookieFollowsTheNewOwner() throws Exception {
    ACTIVATIONS.clear();
    Browser browser = new Browser();
    browser.get(node1.uri("fill?label=first"));
    SessionId first = SessionId.parse(browser.sessionId()).orElseThrow();
    assertThat(first.route()).isEqualTo("node1");

    Browser.Page onNode2 = browser.get(node2.uri("show"));
    assertThat(onNode2.body())
        .isEqualTo("cart=Cart[owner=ann, items=[apple, pear]] number=42 text=hello tracked=first");
    assertThat(onNode2.sessionCookie())
        .isEqualTo("JSESSIONID=" + first.base() + ".node2; Path=/app; HttpOnly; SameSite=Lax");
    // node1 lets go (the value hears it there, under node1's id), then node2 activates it.
    assertThat(ACTIVATIONS)
        .containsExactly(
            "passivate:first:" + first.base() + ".node1",
            "activate:first:" + first.base() + ".node2");

    Browser.Page again = browser.get(node2.uri("show"));
    assertThat(again.body()).contains("text=hello");
    assertThat(again.sessionCookie()).as("sticky now: nothing to re-send").isNull();

    Browser.Page back = browser.get(node1.uri("show"));
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
    Browser browser = new Browser();
    browser.get(node1.uri("fill?label=c"));
    List<CompletableFuture<Browser.Page>> inFlight = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inFlight.add(browser.getAsync(node1.uri("concurrent?i=" + i)));
    }
    for (CompletableFuture<Browser.Page> f : inFlight) {
      assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    String shown = browser.get(node2.uri("show")).body();
    for (int i = 0; i < requests; i++) {
      assertThat(shown).contains("k" + i + "=" + i);
    }
  }

  @Test
  void anAsynchronousRequestCommitsWhenItCompletes() throws Exception {
    Browser browser = new Browser();
    browser.get(node1.uri("fill?label=a"));
    Browser.Page page = browser.get(node1.uri("async"));
    assertThat(page.body()).isEqualTo("async ok");
    assertThat(browser.get(node2.uri("show")).body()).contains("async=done");
  }

  @Test
  void aSessionInvalidatedOnOneNodeIsGoneOnTheOther() throws Exception {
    Browser browser = new Browser();
    browser.get(node1.uri("fill?label=i"));
    String id = browser.sessionId();
    browser.get(node2.uri("invalidate"));
    assertThat(new Browser().sessionId(id).get(node1.uri("show")).body()).isEqualTo("no session");
  }

  @Test
  void anAsynchronousDispatchCommitsWhenItReturns() throws Exception {
    node1.handle(
        "async-dispatch",
        (req, resp) -> {
          req.getSession().setAttribute("before", "dispatch");
          AsyncContext async = req.startAsync();
          WORKERS.submit(() -> async.dispatch("/dispatched"));
        });
    node1.handle(
        "dispatched",
        (req, resp) -> {
          req.getSession().setAttribute("in", "dispatched");
          resp.getWriter().print("dispatched " + req.getDispatcherType());
        });
    Browser browser = new Browser();
    Browser.Page page = browser.get(node1.uri("async-dispatch"));
    assertThat(page.body()).isEqualTo("dispatched ASYNC");
    assertThat(page.sessionCookie()).isNotNull();
    assertThat(browser.get(node2.uri("show")).body()).isEqualTo("before=dispatch in=dispatched");
  }
}
