package org.buddygrid.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated browser for tests: keeps its cookies (shared by every port of 127.0.0.1, as a
 * browser's are), follows no redirects.
 */
public final class WebClient {
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** GETs {@code url}. */
  public HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** POSTs an empty body to {@code url}. */
  public HttpResponse<String> post(String url) {
    return post(url, "");
  }

  /** POSTs a form to {@code url}. */
  public HttpResponse<String> post(String url, String form) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  /** Sends a request with extra headers. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POSTs to {@code url} and reads the JSON object answered (status 200 expected). */
  public Map<String, Object> postJson(String url) {
    HttpResponse<String> r = post(url);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return JsonParser.object(r.body());
  }

  /** The session cookie's value, if the client has one. */
  public Optional<String> sessionId() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(HttpCookie::getValue)
        .findFirst();
  }
}
