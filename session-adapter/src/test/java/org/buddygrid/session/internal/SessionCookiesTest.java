package org.buddygrid.session.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.buddygrid.session.SameSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Set-Cookie values of the session cookie, the values read from Cookie headers, and the URL
 * form of session ids.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionCookiesTest {
  private static final String ID = "RA48pXDB4f4eqklhYmqy1swa.node1";

  @Test
  void theDefaultCookieIsHttpOnlyLaxAndSecureOnlyOverHttps() {
    SessionCookies c =
        new SessionCookies("JSESSIONID", "/shop", null, -1, false, SameSite.LAX, Map.of());
    assertThat(c.setCookie(ID, false))
        .isEqualTo("JSESSIONID=" + ID + "; Path=/shop; HttpOnly; SameSite=Lax");
    assertThat(c.setCookie(ID, true))
        .isEqualTo("JSESSIONID=" + ID + "; Path=/shop; Secure; HttpOnly; SameSite=Lax");
    assertThat(c.deleteCookie(false))
        .isEqualTo(
            "JSESSIONID=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/shop; HttpOnly;"
                + " SameSite=Lax");
  }

  @Test
  void configuredAttributesAreWritten() {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("Partitioned", "");
    extra.put("Priority", "High");
    SessionCookies c =
        new SessionCookies("SID", "/", "example.com", 3600, true, SameSite.NONE, extra);
    assertThat(c.setCookie(ID, false))
        .isEqualTo(
            "SID="
                + ID
                + "; Max-Age=3600; Path=/; Domain=example.com; Secure; HttpOnly; SameSite=None;"
                + " Partitioned; Priority=High");
    SessionCookies unset =
        new SessionCookies("SID", "/", null, -1, false, SameSite.UNSET, Map.of());
    assertThat(unset.setCookie(ID, false)).isEqualTo("SID=" + ID + "; Path=/; HttpOnly");
  }

  @Test
  void valuesThatCouldBreakTheHeaderAreRefused() {
    assertThatThrownBy(
            () -> new SessionCookies("bad name", "/", null, -1, false, SameSite.LAX, Map.of()))
        .hasMessageContaining("not a token");
    assertThatThrownBy(
            () -> new SessionCookies("SID", "/a;b", null, -1, false, SameSite.LAX, Map.of()))
        .hasMessageContaining("Path");
    SessionCookies c = new SessionCookies("SID", "/", null, -1, false, SameSite.LAX, Map.of());
    assertThatThrownBy(() -> c.setCookie("a\r\nSet-Cookie: x=1", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void urlIdsAreReadFromThePathParameter() {
    assertThat(SessionUrls.idFromUri("/app/page;jsessionid=" + ID)).contains(ID);
    assertThat(SessionUrls.idFromUri("/app/page;JSESSIONID=" + ID + ";other=1")).contains(ID);
    assertThat(SessionUrls.idFromUri("/app/dir;jsessionid=" + ID + "/page")).contains(ID);
    assertThat(SessionUrls.idFromUri("/app/page")).isEmpty();
    assertThat(SessionUrls.idFromUri(null)).isEmpty();
    // Lower-cased, U+0130 becomes two chars: the id must still be read from the URI as it is.
    assertThat(SessionUrls.idFromUri("/\u0130\u0130;jsessionid=" + ID)).contains(ID);
    assertThat(SessionUrls.idFromUri("/\u0130\u0130\u0130\u0130\u0130\u0130\u0130;jsessionid="))
        .contains("");
  }

  @Test
  void cookieHeadersGiveEveryValueOfTheSessionCookieInOrder() {
    assertThat(values("JSESSIONID=" + ID)).containsExactly(ID);
    assertThat(values("a=1; JSESSIONID=\"" + ID + "\" ;b=2;JSESSIONID= other ; JSESSIONIDX=3"))
        .containsExactly(ID, "other");
    assertThat(values(" JSESSIONID =x;=y;JSESSIONID;;JSESSIONID==z;JSESSIONID=\""))
        .containsExactly("x", "=z", "\"");
    assertThat(values("jsessionid=lower; JSESSIONID=")).containsExactly("");
    assertThat(values("")).isEmpty();
  }

  @Test
  void cookieHeadersAreReadAsSplittingAndStrippingWould() {
    Random random = new Random(7);
    String alphabet = "JSESIONDjsx=;\" \t.\u00a0\u2003";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder h = new StringBuilder();
      int parts = random.nextInt(4);
      for (int p = 0; p < parts; p++) {
        h.append(random.nextBoolean() ? " JSESSIONID=" : "");
        int length = random.nextInt(12);
        for (int k = 0; k < length; k++) {
          h.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String header = h.toString();
      assertThat(values(header)).as("[%s]", header).isEqualTo(bySplitting(header));
    }
  }

  private static List<String> values(String header) {
    return SessionCookies.addValues(header, "JSESSIONID", List.of());
  }

  /** What the reader did before it scanned in place: split, strip, unquote. */
  private static List<String> bySplitting(String header) {
    List<String> out = new ArrayList<>();
    for (String pair : header.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals("JSESSIONID")) {
        String v = pair.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        out.add(v);
      }
    }
    return out;
  }
}
