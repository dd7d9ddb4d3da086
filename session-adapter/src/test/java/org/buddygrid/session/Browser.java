package org.buddygrid.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated browser: its own HTTP client and its session cookie, kept by hand so tests see
 * every {@code Set-Cookie} exactly. Sends the cookie to any node, as a balancer would after a
 * failover.
 */
final class Browser {
  /** A response, with the session cookies it set. */
  record Page(int status, String body, List<String> setCookies, HttpResponse<?> raw) {
    /** The one session {@code Set-Cookie} of this response, or null. */
    String sessionCookie() {
      List<String> ours = setCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
      if (ours.size() > 1) {
        throw new AssertionError("more than one session cookie: " + ours);
      }
      return ours.isEmpty() ? null : ours.get(0);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile String sessionId;

  String sessionId() {
    return sessionId;
  }

  /** Sends this cookie value from now on (as a client that made it up would). */
  Browser sessionId(String value) {
    this.sessionId = value;
    return this;
  }

  HttpRequest request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (sessionId != null) {
      b.header("Cookie", "JSESSIONID=" + sessionId);
    }
    return b.build();
  }

  Page get(URI uri) throws IOException, InterruptedException {
    return remember(client.send(request(uri), HttpResponse.BodyHandlers.ofString()));
  }

  CompletableFuture<Page> getAsync(URI uri) {
    return client
        .sendAsync(request(uri), HttpResponse.BodyHandlers.ofString())
        .thenApply(this::remember);
  }

  /** Returns as soon as the headers arrived; the body streams. */
  CompletableFuture<HttpResponse<InputStream>> stream(URI uri) {
    return client
        .sendAsync(request(uri), HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(
            r -> {
              remember(r.headers().allValues("Set-Cookie"));
              return r;
            });
  }

  private Page remember(HttpResponse<String> r) {
    List<String> cookies = r.headers().allValues("Set-Cookie");
    remember(cookies);
    return new Page(r.statusCode(), r.body(), cookies, r);
  }

  private void remember(List<String> setCookies) {
    for (String c : setCookies) {
      if (c.startsWith("JSESSIONID=")) {
        String value = c.substring("JSESSIONID=".length(), c.indexOf(';'));
        sessionId = c.contains("Max-Age=0") ? null : value;
      }
    }
  }
}
