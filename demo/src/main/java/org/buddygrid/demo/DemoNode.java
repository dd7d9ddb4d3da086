package org.buddygrid.demo;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.demo.grid.GridMonitor;
import org.buddygrid.replication.SessionGrid;

/**
 * One demo node: an embedded Tomcat on {@code --bind}:{@code --http-port} serving the shop and the
 * grid dashboard, with BuddyGrid sessions in the chosen {@link SessionMode}. {@link #start()}
 * returns once the node serves requests and is a member of the grid; {@link #stop()} leaves
 * gracefully (owned sessions are handed to other nodes first).
 */
public final class DemoNode implements AutoCloseable {
  /** Servlet context attribute: the Tomcat manager in Tomcat mode. */
  static final String MANAGER_ATTRIBUTE = "org.buddygrid.demo.manager";

  /** Servlet context attribute: this node's {@link DemoNode}. */
  public static final String ATTRIBUTE = DemoNode.class.getName();

  private final NodeOptions options;
  private final SessionMode mode;
  private final Path baseDir;
  private final Tomcat tomcat = new Tomcat();
  private Context context;
  private volatile GridMonitor monitor;

  /**
   * Prepares a node.
   *
   * @throws SessionMode.UnavailableModeException if the mode asked for is not in this build
   */
  public DemoNode(NodeOptions options) {
    this.options = options;
    this.mode = SessionMode.named(options.mode());
    try {
      this.baseDir = Files.createTempDirectory("buddygrid-demo-" + options.route() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code buddygrid.*} settings this node runs with. */
  Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("buddygrid.route", options.route());
    s.put("buddygrid.cluster", options.cluster());
    s.put("buddygrid.stack", options.stack());
    s.put("buddygrid.timing", options.timing());
    s.put("buddygrid.backups", Integer.toString(options.backups()));
    s.put("buddygrid.allow", "org.buddygrid.demo.shop.**");
    s.put("buddygrid.bind_addr", options.bind());
    s.put("buddygrid.bind_port", Integer.toString(options.jgroupsPort()));
    s.put("buddygrid.port_range", "0");
    s.put("buddygrid.tcp.initial_hosts", options.initialHosts());
    return s;
  }

  /**
   * Starts Tomcat and the web application; returns once both serve requests.
   *
   * @throws IllegalStateException if the web application did not start (the log says why)
   */
  public DemoNode start() throws LifecycleException {
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(options.httpPort());
    connector.setProperty("address", options.bind());
    connector.setProperty("bindOnInit", "true");
    tomcat.setConnector(connector);
    tomcat.getEngine().setJvmRoute(options.route());
    tomcat.getHost().setAutoDeploy(false);
    context = tomcat.addContext("", null);
    context.setSessionTimeout(30);
    mode.install(context, settings());
    if (context.getManager() != null) {
      context.getServletContext().setAttribute(MANAGER_ATTRIBUTE, context.getManager());
    }
    context.getServletContext().setAttribute(ATTRIBUTE, this);
    context.addServletContainerInitializer(new DemoApp(), null);
    tomcat.start();
    if (!context.getState().isAvailable()) {
      throw new IllegalStateException(
          "the web application of " + options.route() + " did not start: see the log above");
    }
    grid().ifPresent(g -> monitor = GridMonitor.start(g, Duration.ofSeconds(1)));
    return this;
  }

  public NodeOptions options() {
    return options;
  }

  /** The web application's grid, once started (empty if the mode does not expose it). */
  public Optional<SessionGrid> grid() {
    return context == null ? Optional.empty() : mode.grid(context.getServletContext());
  }

  /** The grid monitor, once started. */
  public Optional<GridMonitor> monitor() {
    return Optional.ofNullable(monitor);
  }

  /** The node owning {@code servletContext}. */
  public static DemoNode of(ServletContext servletContext) {
    return (DemoNode) servletContext.getAttribute(ATTRIBUTE);
  }

  /** Stops gracefully: the web application hands its sessions over, then Tomcat stops. */
  public void stop() {
    GridMonitor m = monitor;
    if (m != null) {
      m.close();
    }
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("stopping " + options.route() + " failed", e);
    } finally {
      deleteQuietly(baseDir);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it up eventually
    }
  }
}
