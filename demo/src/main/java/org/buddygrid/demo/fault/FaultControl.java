package org.buddygrid.demo.fault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.buddygrid.demo.Http;
import org.buddygrid.replication.SessionGrid;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.protocols.DISCARD;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.ProtocolStack;

/**
 * A test-only fault-injection endpoint of a demo node ({@code --fault-control-port}): cuts the node
 * off from other members and heals it, so a harness can make network partitions between node
 * processes without root. Off unless the option is given; always bound to 127.0.0.1, whatever
 * {@code --bind} says.
 *
 * <ul>
 *   <li>{@code GET /}: {@code {"route","view":[routes],"owned","backups","atRisk","isolatedFrom":[
 *       JGroups ports]}}.
 *   <li>{@code POST /isolate?from=all} or {@code ?from=PORT,PORT}: inserts {@code DISCARD} above
 *       the transport, dropping every message from the members of the current JGroups view whose
 *       transport listens on those ports (all: every other member). Called again, it replaces the
 *       set. Only incoming messages are dropped: isolate both sides for a clean partition.
 *   <li>{@code POST /heal}: removes {@code DISCARD}; MERGE3 then merges the views.
 * </ul>
 */
public final class FaultControl implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<SessionGrid> grid;
  private final List<Integer> isolatedFrom = new ArrayList<>();

  private FaultControl(HttpServer server, Supplier<SessionGrid> grid) {
    this.server = server;
    this.grid = grid;
    this.executor = Executors.newSingleThreadExecutor(r -> daemon(r, "fault-control"));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts the endpoint on 127.0.0.1:{@code port}.
   *
   * @param grid the node's running grid (asked on every request)
   * @throws IOException if the port cannot be bound
   */
  public static FaultControl start(int port, Supplier<SessionGrid> grid) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    FaultControl control = new FaultControl(server, grid);
    server.start();
    return control;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
        Http.json(exchange, 403, Map.of("error", "fault control is for 127.0.0.1 only"));
        return;
      }
      SessionGrid g = grid.get();
      if (g == null) {
        Http.json(exchange, 503, Map.of("error", "the node's grid is not running"));
        return;
      }
      if (method.equals("GET") && path.equals("/")) {
        Http.json(exchange, 200, status(g));
      } else if (method.equals("POST") && path.equals("/isolate")) {
        String from = query(exchange.getRequestURI(), "from");
        if (from == null || !from.matches("all|\\d{1,5}(,\\d{1,5})*")) {
          Http.json(
              exchange,
              400,
              Map.of(
                  "error",
                  "from must be all or the JGroups ports of members, e.g. /isolate?from=7901,7902"));
          return;
        }
        isolate(g.node().channel(), from);
        Http.json(exchange, 200, status(g));
      } else if (method.equals("POST") && path.equals("/heal")) {
        heal(g.node().channel());
        Http.json(exchange, 200, status(g));
      } else {
        Http.json(
            exchange,
            404,
            Map.of("error", "use GET /, POST /isolate?from=all|PORT,..., POST /heal"));
      }
    } catch (RuntimeException e) {
      Http.json(exchange, 500, Map.of("error", String.valueOf(e)));
    }
  }

  private synchronized void isolate(JChannel channel, String from) {
    ProtocolStack stack = channel.getProtocolStack();
    DISCARD discard = stack.findProtocol(DISCARD.class);
    if (discard == null) {
      discard = new DISCARD();
      try {
        stack.insertProtocol(
            discard, ProtocolStack.Position.ABOVE, stack.getTransport().getClass());
        discard.init();
        discard.start();
      } catch (Exception e) {
        stack.removeProtocol(DISCARD.class);
        throw new IllegalStateException("could not start DISCARD", e);
      }
    }
    discard.resetIgnoredMembers();
    isolatedFrom.clear();
    View view = channel.getView();
    Address self = channel.getAddress();
    for (Address a : view.getMembers()) {
      if (a.equals(self)) {
        continue;
      }
      Object physical = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, a));
      int port = physical instanceof IpAddress ip ? ip.getPort() : -1;
      if (from.equals("all") || List.of(from.split(",")).contains(Integer.toString(port))) {
        discard.addIgnoreMember(a);
        isolatedFrom.add(port);
      }
    }
  }

  private synchronized void heal(JChannel channel) {
    if (!channel.isClosed()) {
      channel.getProtocolStack().removeProtocol(DISCARD.class);
    }
    isolatedFrom.clear();
  }

  private synchronized Map<String, Object> status(SessionGrid g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("route", g.route());
    m.put("view", g.node().view().members().stream().map(x -> x.route()).toList());
    m.put("owned", g.ownedSessions());
    m.put("backups", g.backupCopies());
    m.put("atRisk", g.sessionsAtRisk());
    m.put("isolatedFrom", List.copyOf(isolatedFrom));
    return m;
  }

  private static String query(URI uri, String name) {
    String q = uri.getRawQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops the endpoint (a partition it made is left as it is: the node is stopping). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
