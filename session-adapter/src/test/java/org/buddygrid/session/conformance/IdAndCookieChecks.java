package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards session ids and the session cookie: its name, path and flags, when it is (re)sent, the
 * route suffix, uniqueness, what the server does with ids it did not issue (unknown, malformed, too
 * long, another route) and the {@code isRequestedSessionId*} answers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface IdAndCookieChecks extends ConformanceFixture {

  /** Ids are URL- and cookie-safe: letters, digits, {@code -} and {@code _}, then the route. */
  String ID_PATTERN = "[A-Za-z0-9_-]{16,}\\." + ROUTE;

  @Test
  default void sessionCookieIsSetOnCreation() {
    Reply r = browser().probe("session");
    assertThat(r.sessionCookies()).hasSize(1);
    SetCookie c = r.sessionCookies().get(0);
    assertThat(c.name()).isEqualTo("JSESSIONID");
    assertThat(c.value()).isEqualTo(r.value("session"));
    assertThat(c.attribute("Path")).isEqualTo(ConformanceServer.CONTEXT_PATH);
    assertThat(c.has("HttpOnly")).as(c.raw()).isTrue();
  }

  @Test
  default void sessionCookieLastsForTheBrowserSessionOnly() {
    SetCookie c = browser().probe("session").sessionCookies().get(0);
    assertThat(c.has("Max-Age")).as(c.raw()).isFalse();
    assertThat(c.has("Expires")).as(c.raw()).isFalse();
    assertThat(c.has("Domain")).as(c.raw()).isFalse();
    assertThat(c.has("Secure")).as("plain HTTP: %s", c.raw()).isFalse();
  }

  @Test
  default void sessionCookieIsNotSentAgainOnLaterRequests() {
    Browser b = browser();
    b.probe("session", "set:a:1");
    assertThat(b.probe("session", "get:a").setCookies()).isEmpty();
    assertThat(b.probe("existing", "set:a:2").setCookies()).isEmpty();
  }

  @Test
  default void sessionIdIsStableAcrossRequests() {
    Browser b = browser();
    String id = b.probe("session").value("session");
    for (int i = 0; i < 3; i++) {
      Reply r = b.probe("session", "id", "requestedId");
      assertThat(r.value("session")).isEqualTo(id);
      assertThat(r.value("id")).isEqualTo(id);
      assertThat(r.value("requestedId")).isEqualTo(id);
    }
  }

  @Test
  default void sessionIdEndsWithTheRoute() {
    String id = browser().probe("session").value("session");
    assertThat(id).matches(ID_PATTERN);
  }

  @Test
  default void sessionIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(browser().probe("session").value("session"));
    }
    assertThat(ids).hasSize(20);
  }

  @Test
  default void requestWithoutSessionIdReportsNoRequestedSession() {
    Reply r = browser().probe("requestedId", "requestedValid", "fromCookie", "fromUrl");
    assertThat(r.value("requestedId")).isEqualTo("null");
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("fromCookie")).isEqualTo("false");
    assertThat(r.value("fromUrl")).isEqualTo("false");
  }

  @Test
  default void requestedSessionIdFromCookieIsReported() {
    Browser b = browser();
    String id = b.probe("session").value("session");
    Reply r = b.probe("requestedId", "requestedValid", "fromCookie", "fromUrl");
    assertThat(r.value("requestedId")).isEqualTo(id);
    assertThat(r.value("requestedValid")).isEqualTo("true");
    assertThat(r.value("fromCookie")).isEqualTo("true");
    assertThat(r.value("fromUrl")).isEqualTo("false");
  }

  @Test
  default void unknownClientSuppliedIdIsNotAdopted() {
    String real = browser().probe("session").value("session");
    // Well-formed like a real id of this mode, but never issued: its first character differs.
    String unknown = (real.charAt(0) == 'A' ? "B" : "A") + real.substring(1);
    Browser b = server().newBrowser(unknown);
    Reply r = b.probe("requestedId", "requestedValid", "existing", "session");
    assertThat(r.value("requestedId")).isEqualTo(unknown);
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
    String created = r.value("session");
    assertThat(created).isNotEqualTo(unknown).isNotEqualTo(real).matches(ID_PATTERN);
    assertThat(r.sessionCookies()).extracting(SetCookie::value).containsExactly(created);
  }

  @Test
  default void tooLongSessionCookieIsNoSession() {
    String tooLong = "A".repeat(4000) + "." + ROUTE;
    Reply r = server().newBrowser(tooLong).probe("requestedValid", "existing", "session", "isNew");
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
    assertThat(r.value("session")).matches(ID_PATTERN);
    assertThat(r.value("isNew")).isEqualTo("true");
    assertThat(r.sessionCookies()).extracting(SetCookie::value).containsExactly(r.value("session"));
  }

  @Test
  default void sessionCookieWithBadCharactersIsNoSession() {
    Browser owner = browser();
    String real = owner.probe("session", "set:a:1").value("session");
    // A backslash and a double quote are not cookie-octets (RFC 6265): the value is malformed,
    // even though it starts with a live session's id.
    Reply r = server().newBrowser(real + "\\\"").probe("requestedValid", "existing", "session");
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
    assertThat(r.value("session")).isNotEqualTo(real).matches(ID_PATTERN);
    assertThat(owner.probe("existing", "get:a").value("get:a")).isEqualTo("1");
  }

  @Test
  default void idWithExtraCharactersDoesNotResolve() {
    String real = browser().probe("session").value("session");
    Reply r = server().newBrowser("x" + real).probe("requestedValid", "existing");
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
  }

  @Test
  default void idWithAnotherRouteSuffix() {
    Browser owner = browser();
    String real = owner.probe("session", "set:a:1").value("session");
    String base = real.substring(0, real.lastIndexOf('.'));
    Reply r = server().newBrowser(base + ".node2").probe("existing", "get:a");
    switch (expected(Property.FOREIGN_ROUTE_SUFFIX)) {
      case UNKNOWN_SESSION -> {
        assertThat(r.value("existing")).isEqualTo("null");
        assertThat(r.sessionCookies()).isEmpty();
      }
      case SAME_SESSION_COOKIE_REWRITTEN -> {
        assertThat(r.value("existing")).isEqualTo(real);
        assertThat(r.value("get:a")).isEqualTo("1");
        assertThat(r.sessionCookies()).extracting(SetCookie::value).containsExactly(real);
      }
    }
  }

  @Test
  default void invalidatedIdIsNoLongerAccepted() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1").value("session");
    Reply invalidating = b.probe("existing", "invalidate");
    switch (expected(Property.INVALIDATED_SESSION_COOKIE)) {
      case KEPT -> {
        assertThat(invalidating.sessionCookies()).isEmpty();
        assertThat(b.sessionCookie()).isEqualTo(id);
      }
      case DELETED -> {
        assertThat(invalidating.sessionCookies()).hasSize(1);
        SetCookie c = invalidating.sessionCookies().get(0);
        assertThat(c.attribute("Max-Age")).as(c.raw()).isEqualTo("0");
        assertThat(c.attribute("Path")).as(c.raw()).isEqualTo(ConformanceServer.CONTEXT_PATH);
        assertThat(b.sessionCookie()).isNull();
      }
    }
    // Whether the browser still sends it or not, the dead id is refused to whoever presents it.
    Reply r = server().newBrowser(id).probe("requestedId", "requestedValid", "existing");
    assertThat(r.value("requestedId")).isEqualTo(id);
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
  }

  @Test
  default void newSessionAfterInvalidateHasANewIdAndCookie() {
    Browser b = browser();
    String old = b.probe("session").value("session");
    b.probe("existing", "invalidate");
    Reply r = b.probe("session", "isNew");
    assertThat(r.value("session")).isNotEqualTo(old).matches(ID_PATTERN);
    assertThat(r.value("isNew")).isEqualTo("true");
    assertThat(r.sessionCookies()).extracting(SetCookie::value).containsExactly(r.value("session"));
    assertThat(b.sessionCookie()).isEqualTo(r.value("session"));
  }

  @Test
  default void sessionCreatedAfterInvalidateInTheSameRequestHasANewId() {
    Browser b = browser();
    Reply r = b.probe("session", "invalidate", "existing", "session", "isNew");
    String first = r.values("session").get(0);
    String second = r.values("session").get(1);
    assertThat(r.value("existing")).isEqualTo("null");
    assertThat(second).isNotEqualTo(first).matches(ID_PATTERN);
    assertThat(r.value("isNew")).isEqualTo("true");
    assertThat(r.sessionCookies()).extracting(SetCookie::value).containsExactly(second);
    assertThat(b.probe("existing").value("existing")).isEqualTo(second);
  }
}
