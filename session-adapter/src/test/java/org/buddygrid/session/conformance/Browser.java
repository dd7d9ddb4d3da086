package org.buddygrid.session.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.buddygrid.session.conformance.app.TestApp;

/**
 * One simulated browser: its own {@link HttpClient} and a one-cookie jar for the session cookie. It
 * keeps the value of the last {@code JSESSIONID} cookie the server set for the context path
 * (dropping it on {@code Max-Age=0}) and sends it back; tests can also make it send any value.
 * Thread-safe, so several threads can act as one browser with parallel requests.
 */
public final class Browser {

  /** The session cookie's name. */
  public static final String SESSION_COOKIE = "JSESSIONID";

  private final HttpClient client;
  private final URI base;
  private volatile String sessionCookie;

  Browser(URI base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ConformanceServer.REQUEST_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The session cookie value this browser sends, or null. */
  public String sessionCookie() {
    return sessionCookie;
  }

  /** Makes this browser send {@code JSESSIONID=<value>} (null: no cookie). */
  public void useSessionCookie(String value) {
    this.sessionCookie = value;
  }

  /** Runs these {@link org.buddygrid.session.conformance.app.ProbeServlet} operations. */
  public Reply probe(String... ops) {
    return probeWithPathParameter("", ops);
  }

  /**
   * Runs the operations at {@code /probe<pathParameter>}, e.g. {@code ;jsessionid=<id>}.
   *
   * @param pathParameter appended to the servlet path as is
   */
  public Reply probeWithPathParameter(String pathParameter, String... ops) {
    try {
      return probeAsync(pathParameter, ops).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs the operations without waiting for the answer. */
  public CompletableFuture<Reply> probeAsync(String pathParameter, String... ops) {
    StringBuilder query = new StringBuilder();
    for (String op : ops) {
      query.append(query.length() == 0 ? '?' : '&');
      query.append("op=").append(URLEncoder.encode(op, StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + TestApp.PROBE_PATH + pathParameter + query))
            .timeout(ConformanceServer.REQUEST_TIMEOUT)
            .GET();
    String cookie = sessionCookie;
    if (cookie != null) {
      request.header("Cookie", SESSION_COOKIE + "=" + cookie);
    }
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              Reply reply = Reply.of(response);
              remember(reply);
              return reply;
            });
  }

  private synchronized void remember(Reply reply) {
    for (SetCookie c : reply.sessionCookies()) {
      String path = c.attribute("Path");
      if (path != null && !(base.getPath() + TestApp.PROBE_PATH).startsWith(path)) {
        continue;
      }
      sessionCookie = "0".equals(c.attribute("Max-Age")) ? null : c.value();
    }
  }
}
