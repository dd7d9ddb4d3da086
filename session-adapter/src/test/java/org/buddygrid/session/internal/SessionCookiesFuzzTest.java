package org.buddygrid.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.session.SameSite;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of how a request's session id is read: a {@code Cookie} header through
 * {@link SessionCookies#addValues} and a request URI through {@link SessionUrls#idFromUri}, each
 * value then through {@link SessionId#parse}, as {@code SessionUse.start} does. For any header and
 * URI: nothing throws; every cookie value is a part of the header without a {@code ;}; a URL id
 * stops at the first {@code ;/?#}; an id that parses, written back with {@link
 * SessionCookies#setCookie}, reads back as the same id.
 */
class SessionCookiesFuzzTest {
  private static final SessionCookies COOKIES =
      new SessionCookies("JSESSIONID", "/", null, -1, false, SameSite.LAX, Map.of());

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void requestedId(byte[] input) {
    // The input as UTF-8: the Cookie header, then after the first NUL the request URI.
    String text = new String(input, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    String header = nul < 0 ? text : text.substring(0, nul);
    String uri = nul < 0 ? text : text.substring(nul + 1);

    List<String> values = SessionCookies.addValues(header, COOKIES.name(), List.of());
    for (String value : values) {
      assertThat(header).contains(value);
      assertThat(value).doesNotContain(";");
      SessionId.parse(value).ifPresent(id -> assertThat(readBack(id)).containsExactly(value));
    }

    Optional<String> inUrl = SessionUrls.idFromUri(uri);
    inUrl.ifPresent(
        value -> {
          assertThat(uri).containsIgnoringCase(SessionUrls.PARAMETER + value);
          assertThat(value).doesNotContain(";", "/", "?", "#");
          SessionId.parse(value).ifPresent(id -> assertThat(id.toString()).isEqualTo(value));
        });
  }

  /** What a client sends back after {@code Set-Cookie}: the first name=value pair. */
  private static List<String> readBack(SessionId id) {
    String setCookie = COOKIES.setCookie(id.toString(), false);
    String pair = setCookie.substring(0, setCookie.indexOf(';'));
    return SessionCookies.addValues(pair, COOKIES.name(), List.of());
  }
}
