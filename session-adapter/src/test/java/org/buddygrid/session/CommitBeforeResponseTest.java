package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session's change reaches the other node before the response can reach the client, at every
 * moment a response commits.
 *
 * <p>The probe: right after the moment of commit, still inside the request on node1, node2 is asked
 * for the attribute. node2 takes the session over; node1's request holds no use of it any more only
 * if its commit already ran, so node2 is granted the session at once and serves the attribute.
 * Without the commit node2 would wait for node1 (quiesce timeout) and then get the session without
 * the attribute.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CommitBeforeResponseTest {
  private static TestNode node1;
  private static TestNode node2;
  private static final Map<String, String> PROBED = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    String cluster = Clusters.uniqueName("commit-first");
    var params1 = TestNode.params("node1", cluster);
    params1.put("buddygrid.quiesce-timeout", "60s");
    node1 = TestNode.start(params1);
    var params2 = TestNode.params("node2", cluster);
    params2.put("buddygrid.takeover-timeout", "3s");
    node2 = TestNode.start(params2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> node1.grid().node().view().size() == 2 && node2.grid().node().view().size() == 2);
    node2.handle(
        "get",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          resp.getWriter()
              .print(s == null ? "no session" : s.getAttribute(req.getParameter("name")));
        });
    node1.handle("commit-point", CommitBeforeResponseTest::commitPoint);
  }

  @AfterAll
  static void stop() throws Exception {
    node2.close();
    node1.close();
  }

  /** Sets an attribute, reaches the commit point named {@code kind}, then probes node2. */
  private static void commitPoint(
      jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) throws Exception {
    String kind = req.getParameter("kind");
    HttpSession s = req.getSession();
    s.setAttribute("p", kind);
    String id = s.getId();
    int buffer = resp.getBufferSize();
    switch (kind) {
      case "flushBuffer" -> {
        resp.getWriter().print("x");
        resp.flushBuffer();
      }
      case "writer-flush" -> {
        resp.getWriter().print("x");
        resp.getWriter().flush();
      }
      case "writer-close" -> resp.getWriter().close();
      case "stream-flush" -> {
        resp.getOutputStream().write('x');
        resp.getOutputStream().flush();
      }
      case "stream-close" -> resp.getOutputStream().close();
      case "stream-overflow" -> {
        byte[] bytes = new byte[buffer + 1];
        Arrays.fill(bytes, (byte) 'x');
        resp.getOutputStream().write(bytes);
      }
      case "stream-byte-by-byte-overflow" -> {
        for (int i = 0; i <= buffer; i++) {
          resp.getOutputStream().write('x');
        }
      }
      case "writer-overflow" -> {
        PrintWriter w = resp.getWriter();
        for (int i = 0; i <= buffer; i++) {
          w.print('x');
        }
      }
      case "content-length" -> {
        resp.setContentLength(3);
        resp.getOutputStream().write(new byte[] {'a', 'b', 'c'});
      }
      case "content-length-header" -> {
        resp.setHeader("Content-Length", "3");
        resp.getWriter().print("abc");
      }
      case "sendRedirect" -> resp.sendRedirect("elsewhere");
      case "sendError" -> resp.sendError(418);
      default -> throw new IllegalArgumentException(kind);
    }
    Browser other = new Browser().sessionId(id);
    PROBED.put(kind, other.get(node2.uri("get?name=p")).body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "flushBuffer",
        "writer-flush",
        "writer-close",
        "stream-flush",
        "stream-close",
        "stream-overflow",
        "stream-byte-by-byte-overflow",
        "writer-overflow",
        "content-length",
        "content-length-header",
        "sendRedirect",
        "sendError"
      })
  void theChangeIsOnTheOtherNodeAtTheMomentOfCommit(String kind) throws Exception {
    Browser browser = new Browser();
    Browser.Page page = browser.get(node1.uri("commit-point?kind=" + kind));
    assertThat(page.status()).isIn(200, 302, 418);
    assertThat(page.sessionCookie()).as("the cookie went out with the first byte").isNotNull();
    // After close the client may have the whole response before the probe is back.
    await().atMost(Duration.ofSeconds(20)).until(() -> PROBED.containsKey(kind));
    assertThat(PROBED.get(kind)).isEqualTo(kind);
  }

  @Test
  void theOtherNodeServesTheChangeWhileTheClientReadsTheFirstBytes() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    node1.handle(
        "stream",
        (req, resp) -> {
          req.getSession().setAttribute("p", "streamed");
          byte[] chunk =
              "0123456789"
                  .repeat(2 * resp.getBufferSize() / 10)
                  .getBytes(StandardCharsets.US_ASCII);
          resp.getOutputStream().write(chunk);
          finish.await(30, TimeUnit.SECONDS);
          resp.getOutputStream().print("end");
        });
    Browser browser = new Browser();
    HttpResponse<InputStream> response =
        browser.stream(node1.uri("stream")).get(30, TimeUnit.SECONDS);
    try (InputStream body = response.body()) {
      assertThat(body.read()).isEqualTo('0');
      // The client has its first byte; the request on node1 is still running.
      assertThat(new Browser().sessionId(browser.sessionId()).get(node2.uri("get?name=p")).body())
          .isEqualTo("streamed");
      finish.countDown();
      String rest = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(rest).endsWith("end");
    } finally {
      finish.countDown();
    }
  }

  @Test
  void onlyTheSessionsCookieIsAddedOnceEvenAfterSeveralCommitPoints() throws Exception {
    node1.handle(
        "several",
        (req, resp) -> {
          HttpSession s = req.getSession();
          s.setAttribute("a", "1");
          resp.getWriter().print("a");
          resp.getWriter().flush();
          s.setAttribute("b", "2");
          resp.getWriter().print("b");
          resp.flushBuffer();
        });
    Browser browser = new Browser();
    Browser.Page page = browser.get(node1.uri("several"));
    assertThat(page.body()).isEqualTo("ab");
    List<String> cookies = page.setCookies();
    assertThat(cookies).hasSize(1);
    assertThat(new Browser().sessionId(browser.sessionId()).get(node2.uri("get?name=b")).body())
        .isEqualTo("2");
  }
}
