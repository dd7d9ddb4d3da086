package org.buddygrid.session.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.IntrospectionUtils;
import org.buddygrid.session.conformance.app.EventLog;
import org.buddygrid.session.conformance.app.TestApp;

/**
 * An embedded Tomcat on 127.0.0.1 (an ephemeral port) running the test application at {@value
 * #CONTEXT_PATH} with one {@link SessionMode}. Also the harness's own view of the application's
 * event log, read over HTTP without any session.
 */
public final class ConformanceServer implements AutoCloseable {

  /** The test application's context path. */
  public static final String CONTEXT_PATH = "/app";

  /** The context's session timeout: sessions default to this many minutes of inactivity. */
  public static final int SESSION_TIMEOUT_MINUTES = 17;

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** Tomcat's start and stop messages, at INFO for every server, would drown the test output. */
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  static {
    TOMCAT_LOG.setLevel(Level.WARNING);
  }

  private final Tomcat tomcat;
  private final URI base;
  private final String appId;
  private final HttpClient control;

  private ConformanceServer(Tomcat tomcat, URI base, String appId) {
    this.tomcat = tomcat;
    this.base = base;
    this.appId = appId;
    this.control =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
  }

  /**
   * Starts a server.
   *
   * @param mode the session implementation
   * @param settings what the mode is told
   * @param baseDir Tomcat's base directory (work files, saved sessions)
   * @param appId the test application's id: servers with the same id share one event log
   */
  public static ConformanceServer start(
      SessionMode mode, ModeSettings settings, Path baseDir, String appId) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = tomcat.getConnector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    Path docBase = Files.createDirectories(baseDir.resolve("docbase"));
    Context context = tomcat.addContext(CONTEXT_PATH, docBase.toString());
    context.setSessionTimeout(SESSION_TIMEOUT_MINUTES);
    if (context instanceof StandardContext standard) {
      // The application's classes come from the test class path: nothing to clear on stop, and
      // the leak protection would only warn that it needs --add-opens.
      // (By name: Tomcat 11, which the tomcat-11 profile runs Tomcat mode on, has no such setting.)
      IntrospectionUtils.setProperty(standard, "clearReferencesObjectStreamClassCaches", "false");
      standard.setClearReferencesThreadLocals(false);
      standard.setClearReferencesRmiTargets(false);
    }
    TestApp.install(context, appId);
    mode.configure(tomcat, context, settings);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      tomcat.destroy();
      throw e;
    }
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + CONTEXT_PATH);
    return new ConformanceServer(tomcat, base, appId);
  }

  /** {@code http://127.0.0.1:<port>/app}. */
  public URI base() {
    return base;
  }

  /** A new simulated browser: its own HTTP client, no cookies. */
  public Browser newBrowser() {
    return new Browser(base);
  }

  /** A new simulated browser that already holds this session cookie value. */
  public Browser newBrowser(String sessionCookieValue) {
    Browser b = new Browser(base);
    b.useSessionCookie(sessionCookieValue);
    return b;
  }

  /** The texts of the events of these sessions, in order (e.g. {@code added:a=1}). */
  public List<String> events(String... sessionIds) {
    return timedEvents(sessionIds).stream().map(TimedEvent::text).toList();
  }

  /** An event as served by the application: its text and when it was logged. */
  public record TimedEvent(String text, long at) {}

  /** The events of these sessions with their times, in order. */
  public List<TimedEvent> timedEvents(String... sessionIds) {
    StringBuilder query = new StringBuilder("?");
    for (String id : sessionIds) {
      query.append("session=").append(URLEncoder.encode(id, StandardCharsets.UTF_8)).append('&');
    }
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(base + TestApp.EVENTS_PATH + query)).GET());
    List<TimedEvent> events = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("event=")) {
        int bar = line.lastIndexOf('|');
        events.add(
            new TimedEvent(
                line.substring("event=".length(), bar),
                Long.parseLong(line, bar + 1, line.length(), 10)));
      }
    }
    return events;
  }

  /** Forgets every event of the application. */
  public void resetEvents() {
    send(
        HttpRequest.newBuilder(URI.create(base + TestApp.EVENTS_PATH + "?reset"))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          control.send(
              request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("event log answered " + response.statusCode());
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException("event log unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server gracefully (a mode may save sessions) and frees its resources. */
  @Override
  public void close() throws LifecycleException {
    try {
      tomcat.stop();
    } finally {
      tomcat.destroy();
    }
  }

  /** Stops the server and forgets its application's event log. */
  public void closeAndDiscardEvents() throws LifecycleException {
    try {
      close();
    } finally {
      EventLog.discard(appId);
    }
  }
}
