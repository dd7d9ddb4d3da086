package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpSession;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With {@code buddygrid.url-rewriting=true}, session ids also travel as {@code ;jsessionid=}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UrlRewritingTest {
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("urls"));
    params.put("buddygrid.url-rewriting", "true");
    node = TestNode.start(params);
    node.handle(
        "links",
        (req, resp) -> {
          HttpSession s = req.getSession();
          s.setAttribute("a", "1");
          resp.getWriter()
              .print(
                  resp.encodeURL("page?x=1#top")
                      + " "
                      + resp.encodeRedirectURL("/app/next")
                      + " "
                      + resp.encodeURL("http://127.0.0.1:" + req.getServerPort() + "/app/abs")
                      + " "
                      + resp.encodeURL("http://elsewhere.example/app/abs")
                      + " "
                      + resp.encodeURL("/other-app/page"));
        });
    node.handle(
        "info",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          resp.getWriter()
              .print(
                  "requested="
                      + req.getRequestedSessionId()
                      + " url="
                      + req.isRequestedSessionIdFromURL()
                      + " cookie="
                      + req.isRequestedSessionIdFromCookie()
                      + " a="
                      + (s == null ? "none" : s.getAttribute("a")));
        });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void urlsWithinTheApplicationCarryTheIdUntilTheClientReturnsTheCookie() throws Exception {
    Browser browser = new Browser();
    Browser.Page page = browser.get(node.uri("links"));
    String id = browser.sessionId();
    assertThat(page.sessionCookie()).as("cookies are still sent").isNotNull();
    assertThat(page.body())
        .isEqualTo(
            "page;jsessionid="
                + id
                + "?x=1#top /app/next;jsessionid="
                + id
                + " http://127.0.0.1:"
                + node.uri("").getPort()
                + "/app/abs;jsessionid="
                + id
                + " http://elsewhere.example/app/abs /other-app/page");
    assertThat(browser.get(node.uri("links")).body())
        .as("the client returned the cookie: no need to rewrite")
        .startsWith("page?x=1#top ");
  }

  @Test
  void aSessionIsFoundFromTheUrlWithoutACookie() throws Exception {
    Browser browser = new Browser();
    browser.get(node.uri("links"));
    String id = browser.sessionId();
    Browser.Page page = new Browser().get(node.uri("info;jsessionid=" + id));
    assertThat(page.body()).isEqualTo("requested=" + id + " url=true cookie=false a=1");
    assertThat(page.setCookies()).as("the id did not change").isEmpty();

    Browser.Page both =
        new Browser().sessionId(id).get(node.uri("info;jsessionid=AAAAAAAAAAAAAAAAAAAAAAAA.node1"));
    assertThat(both.body())
        .as("the cookie wins")
        .isEqualTo("requested=" + id + " url=false cookie=true a=1");
  }

  @Test
  void aMalformedUrlIdIsNoSessionAndIsCounted() throws Exception {
    long before = node.grid().metrics().count("ids.rejected");
    Browser.Page page =
        new Browser()
            .get(node.uri("info;jsessionid=AAAAAAAAAAAAAAAAAAAAAAAA.node1%0d%0aSet-Cookie:x=1"));
    assertThat(page.body()).isEqualTo("requested=null url=false cookie=false a=none");
    assertThat(page.setCookies()).isEmpty();
    assertThat(node.grid().metrics().count("ids.rejected") - before).isEqualTo(1);
  }
}
