package org.buddygrid.session;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
import org.buddygrid.session.internal.WebAppGrid;

/**
 * One node for tests: an embedded Tomcat on 127.0.0.1 and a free port, with a context {@code /app}
 * that installs filter mode through {@link BuddyGridInitializer} and context parameters (the way a
 * conformance suite would), and one servlet that runs the handler registered for the request's
 * path.
 */
final class TestNode implements AutoCloseable {
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
  private final int port;

  private TestNode(String route, Map<String, String> params, Consumer<Context> setup)
      throws Exception {
    this.route = route;
    this.baseDir = Files.createTempDirectory("buddygrid-tomcat-" + route);
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    tomcat.getEngine().setName("engine-" + route + "-" + System.identityHashCode(this));
    Connector connector = tomcat.getConnector();
    connector.setProperty("address", "127.0.0.1");
    context = tomcat.addContext(CONTEXT_PATH, null);
    params.forEach(context::addParameter);
    context.addServletContainerInitializer(new BuddyGridInitializer(), null);
    Wrapper servlet =
        Tomcat.addServlet(
            context,
            "handlers",
            new HttpServlet() {
              @Override
              protected void service(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                Object included = req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
                Handler h = handlers.get(included != null ? included : req.getPathInfo());
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
    setup.accept(context);
    tomcat.start();
    port = connector.getLocalPort();
  }

  /** The context parameters that make a node of {@code cluster} on the loopback stack. */
  static Map<String, String> params(String route, String cluster) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("buddygrid.enabled", "true");
    p.put("buddygrid.route", route);
    p.put("buddygrid.cluster", cluster);
    p.put("buddygrid.stack", "loopback");
    p.put("buddygrid.allow", "org.buddygrid.session.**");
    p.put("buddygrid.jmx", "false");
    return p;
  }

  static TestNode start(String route, String cluster) throws Exception {
    return start(params(route, cluster));
  }

  static TestNode start(Map<String, String> params) throws Exception {
    return start(params, c -> {});
  }

  static TestNode start(Map<String, String> params, Consumer<Context> setup) throws Exception {
    return new TestNode(params.getOrDefault("buddygrid.route", "none"), params, setup);
  }

  /** Runs {@code handler} for requests to {@code /app/<name>}. */
  TestNode handle(String name, Handler handler) {
    handlers.put("/" + name, handler);
    return this;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + "/" + pathAndQuery);
  }

  Context context() {
    return context;
  }

  ServletContext servletContext() {
    return context.getServletContext();
  }

  SessionGrid grid() {
    return WebAppGrid.of(servletContext()).orElseThrow().grid();
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
