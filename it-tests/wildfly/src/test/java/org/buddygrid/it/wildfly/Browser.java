package org.buddygrid.it.wildfly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated browser: it keeps the session cookie it was given and sends it to every server (a
 * browser's cookies for 127.0.0.1 do not depend on the port), so a session made on one server is
 * presented to the other. Browsers share one HTTP client: a test may use hundreds.
 */
final class Browser {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private volatile String sessionCookie;

  /**
   * One answer of the test application.
   *
   * @param status the HTTP status
   * @param values its {@code key=value} lines
   * @param sessionCookies the values of the {@code JSESSIONID} cookies it set
   */
  record Answer(int status, Map<String, String> values, List<String> sessionCookies) {
    String get(String key) {
      return values.get(key);
    }
  }

  Answer get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  Answer post(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The session cookie's value, if the browser has one. */
  Optional<String> sessionId() {
    return Optional.ofNullable(sessionCookie);
  }

  private Answer send(HttpRequest.Builder request) {
    String cookie = sessionCookie;
    if (cookie != null) {
      request.header("Cookie", "JSESSIONID=" + cookie);
    }
    HttpResponse<String> r;
    try {
      r =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<HttpCookie> set =
        r.headers().allValues("Set-Cookie").stream()
            .flatMap(h -> HttpCookie.parse(h).stream())
            .filter(c -> c.getName().equals("JSESSIONID"))
            .toList();
    for (HttpCookie c : set) {
      sessionCookie = c.getMaxAge() == 0 ? null : c.getValue();
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (r.statusCode() == 200) {
      for (String line : r.body().split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return new Answer(r.statusCode(), values, set.stream().map(HttpCookie::getValue).toList());
  }
}
