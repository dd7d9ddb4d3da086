package org.buddygrid.demo.grid;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.buddygrid.demo.DemoNode;

/**
 * Runs inside BuddyGrid's filter on every request: names the serving node in {@code X-Served-By},
 * counts the shop's requests ({@code demo.requests} in the grid's metrics, so every member's
 * traffic shows on every dashboard), and tells the monitor which node the request's session id
 * names, so a takeover is reported with where the session came from.
 */
public final class ServedByFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** The response header naming the node that served the request. */
  public static final String HEADER = "X-Served-By";

  private final transient DemoNode node;

  public ServedByFilter(DemoNode node) {
    this.node = node;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    resp.setHeader(HEADER, node.options().route());
    String path = req.getServletPath();
    if (!path.startsWith("/grid") && !path.startsWith("/static/") && !path.equals("/favicon.ico")) {
      node.grid().ifPresent(g -> g.metrics().increment("demo.requests"));
    }
    GridMonitor monitor = node.monitor().orElse(null);
    if (monitor == null) {
      chain.doFilter(req, resp);
      return;
    }
    monitor.requestStarted(req.getRequestedSessionId());
    try {
      chain.doFilter(req, resp);
    } finally {
      monitor.requestEnded();
    }
  }
}
