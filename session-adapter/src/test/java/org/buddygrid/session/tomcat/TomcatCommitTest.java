package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In Tomcat mode too a session's change reaches the other node before the response can reach the
 * client, at every moment the application can commit it.
 *
 * <p>The probe: right after the moment of commit, still inside the request on node1, node2 is asked
 * for the attribute. node2 takes the session over at once only if node1's request holds no use of
 * it any more, that is if its commit already ran; otherwise node2 waits for node1 (whose quiesce
 * timeout is a minute) and gives up after its own takeover timeout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TomcatCommitTest {
  private static TomcatNode node1;
  private static TomcatNode node2;
  private static final Map<String, String> PROBED = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    String cluster = Clusters.uniqueName("tomcat-commit-first");
    node1 = TomcatNode.start("node1", cluster, m -> m.setQuiesceTimeout("60s"));
    node2 = TomcatNode.start("node2", cluster, m -> m.setTakeoverTimeout("3s"));
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
    node1.handle("commit-point", TomcatCommitTest::commitPoint);
  }

  @AfterAll
  static void stop() throws Exception {
    node2.close();
    node1.close();
  }

  /** Sets an attribute, reaches the commit point named {@code kind}, then probes node2. */
  private static void commitPoint(HttpServletRequest req, HttpServletResponse resp)
      throws Exception {
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
      case "sendRedirect" -> resp.sendRedirect("elsewhere");
      case "sendError" -> resp.sendError(418);
      default -> throw new IllegalArgumentException(kind);
    }
    PROBED.put(kind, new Client().sessionId(id).get(node2.uri("get?name=p")).body());
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
        "writer-overflow",
        "content-length",
        "sendRedirect",
        "sendError"
      })
  void theChangeIsOnTheOtherNodeAtTheMomentOfCommit(String kind) throws Exception {
    Client client = new Client();
    Client.Page page = client.get(node1.uri("commit-point?kind=" + kind));
    assertThat(page.status()).isIn(200, 302, 418);
    assertThat(page.sessionCookie()).as("the cookie went out with the first byte").isNotNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> PROBED.containsKey(kind));
    assertThat(PROBED.get(kind)).isEqualTo(kind);
  }
}
