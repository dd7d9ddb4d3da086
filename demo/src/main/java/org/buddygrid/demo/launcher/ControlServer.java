package org.buddygrid.demo.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.buddygrid.demo.Http;

/**
 * The launcher's control server, on 127.0.0.1 only: the one place that acts on node processes, for
 * the dashboard's buttons (through any node's {@code /grid/api/control}) and for {@code
 * ./demo/buddygrid-demo kill|stop|start|restart NODE}.
 *
 * <ul>
 *   <li>{@code GET /nodes}: every node process: route, state, pid, URL, last exit status.
 *   <li>{@code POST /nodes/<route>/kill|stop|start|restart}: accepted at once (202), done in the
 *       background, one action per node at a time.
 *   <li>{@code POST /shutdown}: stops the whole demo, as Ctrl-C does.
 * </ul>
 */
final class ControlServer implements AutoCloseable {
  private final HttpServer server;
  private final DemoCluster cluster;
  private final ExecutorService actions =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "demo-control-action");
            t.setDaemon(true);
            return t;
          });

  ControlServer(DemoCluster cluster, int port) throws IOException {
    this.cluster = cluster;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "demo-control");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
        Http.json(ex, 403, Map.of("error", "loopback only"));
        return;
      }
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET") && path.equals("/nodes")) {
        List<Object> nodes = new ArrayList<>();
        cluster.nodes().forEach(n -> nodes.add(n.toJson()));
        Http.json(ex, 200, nodes);
      } else if (method.equals("POST") && path.equals("/shutdown")) {
        Http.json(ex, 202, Map.of("message", "stopping the demo"));
        actions.execute(cluster::requestShutdown);
      } else if (method.equals("POST") && path.matches("/nodes/[A-Za-z0-9_-]{1,32}/[a-z]+")) {
        String[] parts = path.split("/");
        act(ex, parts[2], parts[3]);
      } else {
        Http.json(
            ex,
            404,
            Map.of(
                "error",
                "GET /nodes, POST /nodes/<route>/kill|stop|start|restart, POST /shutdown"));
      }
    }
  }

  private void act(HttpExchange ex, String route, String action) throws IOException {
    NodeProcess node = cluster.node(route).orElse(null);
    if (node == null) {
      Http.json(ex, 404, Map.of("error", "no node " + route));
      return;
    }
    boolean running = node.handle().isPresent();
    String message;
    Runnable work;
    switch (action) {
      case "kill" -> {
        message = "killing " + route + " (kill -9): its sessions fail over to their backups";
        work = node::kill;
      }
      case "stop" -> {
        message = "stopping " + route + " gracefully: it hands its sessions over first";
        work = () -> node.stop(DemoCluster.STOP_GRACE);
      }
      case "start" -> {
        message = "starting " + route;
        work = () -> cluster.startNode(node);
      }
      case "restart" -> {
        message = "restarting " + route;
        work = () -> cluster.restartNode(node);
      }
      default -> {
        Http.json(
            ex,
            400,
            Map.of("error", "unknown action " + action + ": kill, stop, start or restart"));
        return;
      }
    }
    boolean conflict = action.equals("start") ? running : !action.equals("restart") && !running;
    if (conflict) {
      Http.json(
          ex, 409, Map.of("error", route + " is " + (running ? "running already" : "not running")));
      return;
    }
    cluster.log(message);
    Http.json(ex, 202, Map.of("message", message));
    actions.execute(work);
  }

  @Override
  public void close() {
    server.stop(0);
    actions.shutdownNow();
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
