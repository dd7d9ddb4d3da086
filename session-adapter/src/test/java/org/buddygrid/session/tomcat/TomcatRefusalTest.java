package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.replication.SessionLimitException;
import org.buddygrid.replication.SessionUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tomcat mode answers the grid's refusals as filter mode does: a session refused at {@code
 * buddygrid.max-owned-sessions}, or one the grid cannot hand over now, is a {@code 503} with {@code
 * Retry-After}, not Tomcat's {@code 500}, unless the application handles the exception itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TomcatRefusalTest {

  @Test
  void aSessionBeyondTheBoundIs503AndAnApplicationCatchingItAnswersAsItLikes() throws Exception {
    try (TomcatNode node =
        TomcatNode.start(
            "node1", Clusters.uniqueName("tomcat-limit"), m -> m.setMaxOwnedSessions("2"))) {
      node.handle(
          "create",
          (req, resp) -> {
            req.getSession().setAttribute("cart", "book");
            resp.getWriter().print("created");
          });
      node.handle(
          "careful",
          (req, resp) -> {
            try {
              req.getSession();
              resp.getWriter().print("created");
            } catch (SessionLimitException e) {
              resp.getWriter().print("no session today");
            }
          });
      node.handle(
          "read", (req, resp) -> resp.getWriter().print(req.getSession().getAttribute("cart")));

      Client first = new Client();
      assertThat(first.get(node.uri("create")).body()).isEqualTo("created");
      assertThat(new Client().get(node.uri("create")).status()).isEqualTo(200);

      Client.Page refused = new Client().get(node.uri("create"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(refused.body()).contains("try again");
      assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();

      Client.Page handled = new Client().get(node.uri("careful"));
      assertThat(handled.status()).isEqualTo(200);
      assertThat(handled.body()).isEqualTo("no session today");
      assertThat(node.grid().ownedSessions()).isEqualTo(2);
      assertThat(first.get(node.uri("read")).body()).isEqualTo("book");
    }
  }

  @Test
  void anUnavailableSessionWrappedByTheApplicationIs503AndOtherFailuresStay500() throws Exception {
    try (TomcatNode node = TomcatNode.start("node1", Clusters.uniqueName("tomcat-unavailable"))) {
      node.handle(
          "wrapped",
          (req, resp) -> {
            throw new ServletException(
                "the application wraps what it got",
                new SessionUnavailableException("abc.node2", "its owner is not answering"));
          });
      node.handle(
          "broken",
          (req, resp) -> {
            throw new IllegalStateException("a bug of the application's");
          });

      Client.Page unavailable = new Client().get(node.uri("wrapped"));
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.headers().firstValue("Retry-After")).contains("1");
      assertThat(unavailable.body()).contains("being recovered");
      assertThat(new Client().get(node.uri("broken")).status()).isEqualTo(500);
    }
  }
}
