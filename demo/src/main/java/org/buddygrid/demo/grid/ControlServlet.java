package org.buddygrid.demo.grid;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.buddygrid.demo.Http;
import org.buddygrid.demo.Json;

/**
 * {@code POST /grid/api/control?action=kill|stop|start|restart&node=<route>}: the dashboard's
 * buttons. The node does not act itself: it passes the request on to the launcher's control server,
 * which started the node processes and alone can signal and restart them (a node cannot restart
 * itself, and must not kill its siblings by guessing process ids).
 *
 * <p>Accepted only from a loopback address and with the header {@code X-BuddyGrid-Control: 1},
 * which a page of another site cannot send without the browser asking this node first (CORS), so a
 * link or form elsewhere cannot kill a node.
 */
public final class ControlServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The header every control request carries. */
  public static final String HEADER = "X-BuddyGrid-Control";

  private static final Set<String> ACTIONS = Set.of("kill", "stop", "start", "restart");

  private final transient LauncherClient launcher;

  public ControlServlet(LauncherClient launcher) {
    this.launcher = launcher;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!Http.isLoopback(req.getRemoteAddr())) {
      Http.json(resp, 403, Map.of("error", "control requests are accepted from 127.0.0.1 only"));
      return;
    }
    if (!"1".equals(req.getHeader(HEADER))) {
      Http.json(resp, 403, Map.of("error", "control requests need the header " + HEADER + ": 1"));
      return;
    }
    String action = req.getParameter("action");
    String node = req.getParameter("node");
    if (action == null || !ACTIONS.contains(action)) {
      Http.json(resp, 400, Map.of("error", "action must be one of kill, stop, start, restart"));
      return;
    }
    if (node == null || !node.matches("[A-Za-z0-9_-]{1,32}")) {
      Http.json(resp, 400, Map.of("error", "node must be a route, e.g. node1"));
      return;
    }
    if (!launcher.available()) {
      Http.json(
          resp,
          501,
          Map.of(
              "error",
              "this node was not started by the launcher, so nothing can act on the node"
                  + " processes: run ./demo/buddygrid-demo start"));
      return;
    }
    try {
      HttpResponse<String> r = launcher.act(node, action);
      String body = r.body();
      Http.json(
          resp, r.statusCode(), body.startsWith("{") ? new Json.Raw(body) : Map.of("error", body));
    } catch (IOException e) {
      Http.json(resp, 502, Map.of("error", "the launcher did not answer: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Http.json(resp, 503, Map.of("error", "interrupted"));
    }
  }
}
