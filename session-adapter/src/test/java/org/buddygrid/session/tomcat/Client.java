package org.buddygrid.session.tomcat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated browser behind a sticky balancer: its own HTTP client and its session cookie, kept
 * by hand so tests see every {@code Set-Cookie}, and sent to whichever node the test picks.
 */
final class Client {
  /** A response, with the session cookie it set. */
  record Page(int status, String body, List<String> setCookies, HttpHeaders headers) {
    /** The one session {@code Set-Cookie} of this response, or null. */
    String sessionCookie() {
      List<String> ours = setCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
      if (ours.size() > 1) {
        throw new AssertionError("more than one session cookie: " + ours);
      }
      return ours.isEmpty() ? null : ours.get(0);
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile String sessionId;

  String sessionId() {
    return sessionId;
  }

  Client sessionId(String value) {
    this.sessionId = value;
    return this;
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (sessionId != null) {
      b.header("Cookie", "JSESSIONID=" + sessionId);
    }
    return b.build();
  }

  Page get(URI uri) throws IOException, InterruptedException {
    return remember(http.send(request(uri), HttpResponse.BodyHandlers.ofString()));
  }

  CompletableFuture<Page> getAsync(URI uri) {
    return http.sendAsync(request(uri), HttpResponse.BodyHandlers.ofString())
        .thenApply(this::remember);
  }

  private Page remember(HttpResponse<String> r) {
    List<String> cookies = r.headers().allValues("Set-Cookie");
    for (String c : cookies) {
      if (c.startsWith("JSESSIONID=")) {
        int end = c.indexOf(';');
        sessionId = c.substring("JSESSIONID=".length(), end < 0 ? c.length() : end);
      }
    }
    return new Page(r.statusCode(), r.body(), cookies, r.headers());
  }
}
