package org.buddygrid.demo.grid;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A node's line to the launcher's control server ({@code --control-url}), which alone may kill,
 * stop, start or restart node processes. Short timeouts: the dashboard must not hang on it.
 */
public final class LauncherClient {
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  private final Optional<URI> base;
  private final HttpClient http; // only with a launcher: it starts threads
  private volatile String cachedNodes;
  private volatile long cachedAt;

  public LauncherClient(Optional<String> controlUrl) {
    this.base = controlUrl.map(u -> URI.create(u.endsWith("/") ? u : u + "/"));
    this.http =
        base.isPresent()
            ? HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()
            : null;
  }

  /** Whether a launcher is there to ask. */
  public boolean available() {
    return base.isPresent();
  }

  /**
   * The launcher's list of node processes as JSON text (an array), cached for half a second; empty
   * if there is no launcher or it does not answer.
   */
  public Optional<String> nodes() {
    if (base.isEmpty()) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    String cached = cachedNodes;
    if (cached != null && now - cachedAt < 500_000_000L) {
      return Optional.of(cached);
    }
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base.get().resolve("nodes")).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && r.body().startsWith("[")) {
        cachedNodes = r.body();
        cachedAt = now;
        return Optional.of(r.body());
      }
    } catch (IOException e) {
      // the launcher is gone: the dashboard shows no process list
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /**
   * Asks the launcher to {@code action} ({@code kill}, {@code stop}, {@code start}, {@code
   * restart}) node {@code route}; returns its status code and body.
   */
  public HttpResponse<String> act(String route, String action)
      throws IOException, InterruptedException {
    URI uri = base.orElseThrow().resolve("nodes/" + route + "/" + action);
    cachedNodes = null;
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
