package org.buddygrid.session.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.replication.SessionGrid;

/**
 * One node for Tomcat-mode tests: an embedded Tomcat on 127.0.0.1 and a free port, the engine's
 * {@code jvmRoute} as the route, a context {@code /app} managed by {@link BuddyGridManager} on the
 * loopback stack, and one servlet that runs the handler registered for the request's path.
 */
final class TomcatNode implements AutoCloseable {
  /** What a test servlet does. */
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  static final String CONTEXT_PATH = "/app";

  final String route;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Path baseDir;
  private final Tomcat tomcat;
  private final Context context;
  private final BuddyGridManager manager;
  private final int port;

  private TomcatNode(String route, String cluster, Consumer<BuddyGridManager> settings)
      throws Exception {
    this.route = route;
    this.baseDir = Files.createTempDirectory("buddygrid-tomcat-mode-" + route);
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    tomcat.getEngine().setName("engine-" + route + "-" + System.identityHashCode(this));
    tomcat.getEngine().setJvmRoute(route);
    Connector connector = tomcat.getConnector();
    connector.setProperty("address", "127.0.0.1");
    context = tomcat.addContext(CONTEXT_PATH, null);
    context.addApplicationListener(Recorder.class.getName());
    manager = new BuddyGridManager();
    manager.setStack("loopback");
    manager.setCluster(cluster);
    manager.setAllow("org.buddygrid.session.**");
    manager.setJmx("false");
    settings.accept(manager);
    context.setManager(manager);
    Wrapper servlet =
        Tomcat.addServlet(
            context,
            "handlers",
            new HttpServlet() {
              @Override
              protected void service(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                Handler h = handlers.get(req.getPathInfo());
                if (h == null) {
                  resp.sendError(404);
                  return;
                }
                try {
                  h.handle(req, resp);
                } catch (IOException | RuntimeException e) {
                  throw e;
                } catch (Exception e) {
                  throw new IOException(e);
                }
              }
            });
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "handlers");
    tomcat.start();
    port = connector.getLocalPort();
  }

  static TomcatNode start(String route, String cluster) throws Exception {
    return start(route, cluster, m -> {});
  }

  static TomcatNode start(String route, String cluster, Consumer<BuddyGridManager> settings)
      throws Exception {
    return new TomcatNode(route, cluster, settings);
  }

  /** Runs {@code handler} for requests to {@code /app/<name>}. */
  TomcatNode handle(String name, Handler handler) {
    handlers.put("/" + name, handler);
    return this;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + "/" + pathAndQuery);
  }

  BuddyGridManager manager() {
    return manager;
  }

  SessionGrid grid() {
    return manager.grid().orElseThrow();
  }

  @Override
  public void close() throws LifecycleException, IOException {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
