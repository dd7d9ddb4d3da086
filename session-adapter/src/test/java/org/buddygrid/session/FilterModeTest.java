package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Filter mode on one node: the session's life cycle as the Servlet specification describes it, the
 * cookie, and ids the client makes up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilterModeTest {
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("filter-mode"));
    params.put("buddygrid.max-inactive", "45min");
    node = TestNode.start(params);
    node.handle(
        "set",
        (req, resp) -> {
          HttpSession s = req.getSession();
          s.setAttribute(req.getParameter("name"), req.getParameter("value"));
          resp.getWriter().print(s.getId() + " new=" + s.isNew());
        });
    node.handle(
        "get",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          resp.getWriter()
              .print(
                  s == null
                      ? "no session"
                      : String.valueOf(s.getAttribute(req.getParameter("name"))));
        });
    node.handle(
        "info",
        (req, resp) -> {
          HttpSession s = req.getSession(Boolean.parseBoolean(req.getParameter("create")));
          resp.getWriter()
              .print(
                  "requested="
                      + req.getRequestedSessionId()
                      + " valid="
                      + req.isRequestedSessionIdValid()
                      + " cookie="
                      + req.isRequestedSessionIdFromCookie()
                      + " url="
                      + req.isRequestedSessionIdFromURL()
                      + " session="
                      + (s == null ? "none" : s.getId() + " new=" + s.isNew()));
        });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void aNewSessionGetsACookieWithThisNodesRouteAndTheContextPath() throws Exception {
    Browser browser = new Browser();
    Browser.Page page = browser.get(node.uri("set?name=a&value=1"));

    assertThat(page.status()).isEqualTo(200);
    String id = browser.sessionId();
    assertThat(SessionId.parse(id))
        .hasValueSatisfying(s -> assertThat(s.route()).isEqualTo("node1"));
    assertThat(page.body()).isEqualTo(id + " new=true");
    assertThat(page.sessionCookie())
        .isEqualTo("JSESSIONID=" + id + "; Path=/app; HttpOnly; SameSite=Lax");

    Browser.Page again = browser.get(node.uri("get?name=a"));
    assertThat(again.body()).isEqualTo("1");
    assertThat(again.sessionCookie()).as("the client has the cookie already").isNull();
    assertThat(browser.get(node.uri("info")).body())
        .isEqualTo(
            "requested=" + id + " valid=true cookie=true url=false session=" + id + " new=false");
  }

  @Test
  void withoutASessionNothingIsCreatedOrSent() throws Exception {
    Browser browser = new Browser();
    Browser.Page page = browser.get(node.uri("info"));
    assertThat(page.body())
        .isEqualTo("requested=null valid=false cookie=false url=false session=none");
    assertThat(page.setCookies()).isEmpty();
  }

  @Test
  void anIdTheGridDoesNotHoldIsNeverAdopted() throws Exception {
    String madeUp = "AAAAAAAAAAAAAAAAAAAAAAAA.node1";
    Browser browser = new Browser().sessionId(madeUp);
    Browser.Page page = browser.get(node.uri("info?create=true"));

    assertThat(page.body())
        .startsWith("requested=" + madeUp + " valid=false cookie=true url=false");
    assertThat(browser.sessionId()).isNotEqualTo(madeUp);
    assertThat(SessionId.parse(browser.sessionId()).orElseThrow().base())
        .isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(page.body()).endsWith("session=" + browser.sessionId() + " new=true");
  }

  @Test
  void malformedIdsAreNoSessionAndAreCounted() throws Exception {
    long before = node.grid().metrics().count("ids.rejected");
    String[] malformed = {
      "x".repeat(300),
      "AAAAAAAAAAAAAAAAAAAAAAAA.node1<script>",
      "AAAAAAAAAAAAAAAA$AAAAAAAA.node1",
      "no-dot-in-this-value-at-all-xxxxxxxx",
    };
    for (String bad : malformed) {
      Browser browser = new Browser().sessionId(bad);
      Browser.Page page = browser.get(node.uri("info?create=true"));
      assertThat(page.body()).as(bad).startsWith("requested=null valid=false cookie=false");
      assertThat(SessionId.parse(browser.sessionId())).as(bad).isPresent();
    }
    assertThat(node.grid().metrics().count("ids.rejected") - before).isEqualTo(malformed.length);
  }

  @Test
  void afterInvalidationTheSessionRefusesUseButKeepsItsIdAndContext() throws Exception {
    node.handle(
        "invalidate",
        (req, resp) -> {
          HttpSession s = req.getSession();
          s.invalidate();
          StringBuilder out = new StringBuilder();
          for (Runnable call :
              new Runnable[] {
                () -> s.getAttribute("a"),
                () -> s.setAttribute("a", "b"),
                () -> s.removeAttribute("a"),
                s::getAttributeNames,
                s::getCreationTime,
                s::getLastAccessedTime,
                s::isNew,
                s::invalidate
              }) {
            try {
              call.run();
              out.append("ok ");
            } catch (IllegalStateException e) {
              out.append("ISE ");
            }
          }
          out.append(s.getId().equals(req.getRequestedSessionId()))
              .append(' ')
              .append(s.getServletContext() == req.getServletContext())
              .append(' ')
              .append(req.getSession(false));
          resp.getWriter().print(out);
        });
    Browser browser = new Browser();
    browser.get(node.uri("set?name=a&value=1"));
    String id = browser.sessionId();

    Browser.Page page = browser.get(node.uri("invalidate"));
    assertThat(page.body()).isEqualTo("ISE ISE ISE ISE ISE ISE ISE ISE true true null");
    assertThat(page.sessionCookie()).startsWith("JSESSIONID=; Max-Age=0;");
    assertThat(new Browser().sessionId(id).get(node.uri("get?name=a")).body())
        .isEqualTo("no session");
  }

  @Test
  void aSessionCannotBeCreatedOnceTheResponseIsCommitted() throws Exception {
    node.handle(
        "late",
        (req, resp) -> {
          resp.getWriter().print("sent ");
          resp.flushBuffer();
          try {
            req.getSession(true);
            resp.getWriter().print("created");
          } catch (IllegalStateException e) {
            resp.getWriter().print("ISE");
          }
        });
    Browser.Page page = new Browser().get(node.uri("late"));
    assertThat(page.body()).isEqualTo("sent ISE");
    assertThat(page.setCookies()).isEmpty();
  }

  @Test
  void attributesNullRemovesAndTheIntervalRoundTrips() throws Exception {
    node.handle(
        "attrs",
        (req, resp) -> {
          HttpSession s = req.getSession();
          int fromSettings = s.getMaxInactiveInterval();
          s.setAttribute("x", "1");
          s.setAttribute("y", "2");
          s.setAttribute("x", null);
          s.setMaxInactiveInterval(0);
          resp.getWriter()
              .print(
                  fromSettings
                      + " "
                      + Collections.list(s.getAttributeNames())
                      + " "
                      + s.getAttribute("x")
                      + " "
                      + s.getMaxInactiveInterval()
                      + " "
                      + (s.getCreationTime() <= s.getLastAccessedTime()));
        });
    node.handle(
        "interval",
        (req, resp) -> resp.getWriter().print(req.getSession().getMaxInactiveInterval()));
    Browser browser = new Browser();
    assertThat(browser.get(node.uri("attrs")).body()).isEqualTo("2700 [y] null 0 true");
    assertThat(browser.get(node.uri("interval")).body()).as("0: never expires").isEqualTo("0");
  }

  @Test
  void changeSessionIdKeepsTheAttributesAndSendsTheNewId() throws Exception {
    node.handle("change", (req, resp) -> resp.getWriter().print(req.changeSessionId()));
    node.handle(
        "change-without-session",
        (req, resp) -> {
          try {
            req.changeSessionId();
          } catch (IllegalStateException e) {
            resp.getWriter().print("ISE");
          }
        });
    Browser browser = new Browser();
    browser.get(node.uri("set?name=a&value=kept"));
    String old = browser.sessionId();

    Browser.Page page = browser.get(node.uri("change"));
    String fresh = page.body();
    assertThat(fresh).isNotEqualTo(old).endsWith(".node1");
    assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + fresh + ";");
    assertThat(browser.get(node.uri("get?name=a")).body()).isEqualTo("kept");
    assertThat(new Browser().sessionId(old).get(node.uri("get?name=a")).body())
        .isEqualTo("no session");
    assertThat(new Browser().get(node.uri("change-without-session")).body()).isEqualTo("ISE");
  }

  @Test
  void withoutUrlRewritingUrlsAreLeftAloneAndUrlIdsIgnored() throws Exception {
    node.handle(
        "encode",
        (req, resp) -> {
          req.getSession();
          resp.getWriter()
              .print(resp.encodeURL("page?x=1") + " " + resp.encodeRedirectURL("/app/p"));
        });
    Browser browser = new Browser();
    assertThat(browser.get(node.uri("encode")).body()).isEqualTo("page?x=1 /app/p");
    String id = browser.sessionId();
    assertThat(new Browser().get(node.uri("info;jsessionid=" + id)).body())
        .isEqualTo("requested=null valid=false cookie=false url=false session=none");
  }

  @Test
  void aLoneNodeServesCommitsThatHaveNoBackupByDefault() throws Exception {
    long before = node.grid().metrics().count("commits.at-risk");
    Browser.Page page = new Browser().get(node.uri("set?name=a&value=1"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(node.grid().metrics().count("commits.at-risk")).isGreaterThan(before);
  }

  @Test
  void anErrorPageRunAfterTheFilterReturnedSeesTheRequestsSession() throws Exception {
    ErrorPage page500 = new ErrorPage();
    page500.setExceptionType(IllegalStateException.class.getName());
    page500.setLocation("/error-page");
    node.context().addErrorPage(page500);
    node.handle(
        "boom",
        (req, resp) -> {
          req.getSession().setAttribute("a", "before the error");
          throw new IllegalStateException("boom");
        });
    node.handle(
        "error-page",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          resp.getWriter()
              .print("error page sees: " + (s == null ? "no session" : s.getAttribute("a")));
        });
    Browser browser = new Browser();
    Browser.Page page = browser.get(node.uri("boom"));
    assertThat(page.status()).isEqualTo(500);
    assertThat(page.body()).isEqualTo("error page sees: before the error");
    assertThat(page.sessionCookie()).startsWith("JSESSIONID=" + browser.sessionId() + ";");
    assertThat(browser.get(node.uri("get?name=a")).body()).isEqualTo("before the error");
  }

  @Test
  void forwardedAndIncludedResourcesUseTheSameSession() throws Exception {
    node.handle(
        "front",
        (req, resp) -> {
          req.getSession().setAttribute("front", "1");
          req.getRequestDispatcher("/include-me").include(req, resp);
          req.getRequestDispatcher("/forward-me").forward(req, resp);
        });
    node.handle(
        "include-me",
        (req, resp) -> {
          req.getSession().setAttribute("included", req.getSession().getAttribute("front"));
          resp.getWriter().print("included ");
        });
    node.handle(
        "forward-me",
        (req, resp) -> {
          HttpSession s = req.getSession(false);
          resp.getWriter()
              .print("forwarded " + s.getAttribute("front") + s.getAttribute("included"));
        });
    Browser browser = new Browser();
    Browser.Page page = browser.get(node.uri("front"));
    assertThat(page.body()).isEqualTo("forwarded 11");
    assertThat(page.setCookies()).hasSize(1);
    assertThat(browser.get(node.uri("get?name=included")).body()).isEqualTo("1");
  }
}
