package org.buddygrid.it.tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One simulated browser: its own HTTP client and its own {@code JSESSIONID}, sent to whichever node
 * it is told, the way a balancer routes it. Cookies are not separated by port, so the cookie is
 * kept here by hand rather than in a {@code CookieManager}: every {@code Set-Cookie} for the
 * session replaces (or, with {@code Max-Age=0}, drops) the value.
 */
final class Browser {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String contextPath;
  private volatile String sessionId;

  /** A browser of the web application at {@code contextPath} ({@code /filter}, {@code /tomcat}). */
  Browser(String contextPath) {
    this.contextPath = contextPath;
  }

  /**
   * What one request got back. {@code setCookie} is the new session id if the response sent one.
   */
  record Reply(int status, String body, String node, String setCookie, String retryAfter) {
    boolean ok() {
      return status == 200;
    }
  }

  /** The session id this browser sends, or null. */
  String sessionId() {
    return sessionId;
  }

  /** The route of the session id this browser sends. */
  String route() {
    return sessionId.substring(sessionId.lastIndexOf('.') + 1);
  }

  /** The id without its route. */
  String base() {
    return sessionId.substring(0, sessionId.lastIndexOf('.'));
  }

  /** Sets the session id to send next, e.g. one an earlier response had set (a stale cookie). */
  void setSessionId(String id) {
    sessionId = id;
  }

  /**
   * Sends {@code GET <context>/s?op=<op>&<name>=<value>...} to {@code node}, with this browser's
   * session cookie, and keeps the cookie the response sets.
   */
  Reply call(Node node, String op, String... params) {
    StringBuilder query = new StringBuilder("op=").append(op);
    for (int i = 0; i + 1 < params.length; i += 2) {
      query
          .append('&')
          .append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(node.url(contextPath) + "s?" + query))
            .timeout(Duration.ofSeconds(30))
            .GET();
    String sent = sessionId;
    if (sent != null) {
      request.header("Cookie", "JSESSIONID=" + sent);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + node.url(contextPath) + "s?" + query, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    String cookie = sessionCookie(response).orElse(null);
    if (cookie != null) {
      sessionId = cookie.isEmpty() ? null : cookie;
    }
    return new Reply(
        response.statusCode(),
        response.body(),
        response.headers().firstValue("X-Node").orElse(""),
        cookie,
        response.headers().firstValue("Retry-After").orElse(null));
  }

  /** The JSESSIONID a response sets: a value, "" if it deletes the cookie, empty if none. */
  private static Optional<String> sessionCookie(HttpResponse<?> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      if (!header.startsWith("JSESSIONID=")) {
        continue;
      }
      String value = header.substring("JSESSIONID=".length()).split(";", 2)[0].trim();
      boolean deletes = header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
      return Optional.of(deletes ? "" : value);
    }
    return Optional.empty();
  }
}
