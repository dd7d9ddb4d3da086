package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Filter mode at {@code buddygrid.max-owned-sessions}: 503 for a new session, service for others.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionLimitsTest {

  @Test
  void aRequestThatWouldCreateASessionBeyondTheBoundGets503() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("limits"));
    params.put("buddygrid.max-owned-sessions", "3");
    try (TestNode node = TestNode.start(params)) {
      node.handle(
          "create",
          (req, resp) -> {
            req.getSession().setAttribute("cart", "book");
            resp.getWriter().print("created");
          });
      node.handle(
          "read",
          (req, resp) ->
              resp.getWriter().print(String.valueOf(req.getSession().getAttribute("cart"))));
      node.handle("plain", (req, resp) -> resp.getWriter().print("no session needed"));

      Browser first = new Browser();
      assertThat(first.get(node.uri("create")).body()).isEqualTo("created");
      for (int i = 1; i < 3; i++) {
        assertThat(new Browser().get(node.uri("create")).status()).isEqualTo(200);
      }

      Browser.Page refused = new Browser().get(node.uri("create"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.body()).contains("try again");
      assertThat(refused.sessionCookie()).isNull();
      assertThat(node.grid().ownedSessions()).isEqualTo(3);
      assertThat(node.grid().metrics().count("sessions.refused")).isEqualTo(1);

      // Existing sessions and requests without one are served as before.
      assertThat(first.get(node.uri("read")).body()).isEqualTo("book");
      assertThat(new Browser().get(node.uri("plain")).body()).isEqualTo("no session needed");
    }
  }
}
