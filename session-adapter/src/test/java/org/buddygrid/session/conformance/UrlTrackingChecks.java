package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards session tracking through URLs: {@code ;jsessionid=} path parameters, {@code encodeURL} and
 * {@code encodeRedirectURL}. Tomcat tracks sessions by cookie and URL by default; BuddyGrid
 * deliberately does not rewrite URLs, so the checks whose outcome depends on it read {@link
 * Property#URL_SESSION_TRACKING}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface UrlTrackingChecks extends ConformanceFixture {

  /** A URL of the application, as a page would link to it. */
  String LINK = ConformanceServer.CONTEXT_PATH + "/next";

  @Test
  default void sessionIdInUrlPathParameter() {
    String id = browser().probe("session", "set:a:1").value("session");
    Reply r =
        browser()
            .probeWithPathParameter(
                ";jsessionid=" + id,
                "requestedId",
                "requestedValid",
                "fromUrl",
                "fromCookie",
                "existing",
                "get:a");
    assertThat(r.value("fromCookie")).isEqualTo("false");
    if (expected(Property.URL_SESSION_TRACKING)) {
      assertThat(r.value("requestedId")).isEqualTo(id);
      assertThat(r.value("requestedValid")).isEqualTo("true");
      assertThat(r.value("fromUrl")).isEqualTo("true");
      assertThat(r.value("existing")).isEqualTo(id);
      assertThat(r.value("get:a")).isEqualTo("1");
    } else {
      assertThat(r.value("requestedValid")).isEqualTo("false");
      assertThat(r.value("fromUrl")).isEqualTo("false");
      assertThat(r.value("existing")).isEqualTo("null");
    }
  }

  @Test
  default void encodeUrlOnSessionCreatingRequest() {
    // The client has not returned a cookie yet, so a container tracking by URL rewrites links.
    Reply r = browser().probe("session", "encodeUrl:" + LINK);
    String expected =
        expected(Property.URL_SESSION_TRACKING) ? LINK + ";jsessionid=" + r.value("session") : LINK;
    assertThat(r.value("encodeUrl:" + LINK)).isEqualTo(expected);
  }

  @Test
  default void encodeRedirectUrlOnSessionCreatingRequest() {
    Reply r = browser().probe("session", "encodeRedirectUrl:" + LINK);
    String expected =
        expected(Property.URL_SESSION_TRACKING) ? LINK + ";jsessionid=" + r.value("session") : LINK;
    assertThat(r.value("encodeRedirectUrl:" + LINK)).isEqualTo(expected);
  }

  @Test
  default void encodeUrlLeavesUrlsAloneWhenTheIdCameFromACookie() {
    Browser b = browser();
    b.probe("session");
    Reply r = b.probe("existing", "encodeUrl:" + LINK, "encodeRedirectUrl:" + LINK);
    assertThat(r.value("encodeUrl:" + LINK)).isEqualTo(LINK);
    assertThat(r.value("encodeRedirectUrl:" + LINK)).isEqualTo(LINK);
  }

  @Test
  default void encodeUrlLeavesUrlsAloneWithoutSession() {
    Reply r = browser().probe("encodeUrl:" + LINK, "existing");
    assertThat(r.value("encodeUrl:" + LINK)).isEqualTo(LINK);
    assertThat(r.value("existing")).isEqualTo("null");
  }
}
