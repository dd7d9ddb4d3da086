package org.buddygrid.demo.grid;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the dashboard ({@code /grid}) and the static files of the shop and the dashboard from the
 * jar: plain HTML, CSS and JavaScript, no build step.
 */
public final class DashboardServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String ROOT = "/org/buddygrid/demo/web/";
  private static final Map<String, String> FILES =
      Map.of(
          "/grid", "grid.html",
          "/grid/", "grid.html",
          "/grid/static/grid.css", "grid.css",
          "/grid/static/grid.js", "grid.js",
          "/static/shop.css", "shop.css",
          "/favicon.ico", "favicon.svg");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    String file = FILES.get(path);
    if (file == null) {
      resp.sendError(404);
      return;
    }
    try (InputStream in = DashboardServlet.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        resp.sendError(404);
        return;
      }
      byte[] body = in.readAllBytes();
      resp.setContentType(type(file));
      resp.setHeader("Cache-Control", file.endsWith(".html") ? "no-store" : "max-age=60");
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  private static String type(String file) {
    if (file.endsWith(".html")) {
      return "text/html;charset=UTF-8";
    }
    if (file.endsWith(".css")) {
      return "text/css;charset=UTF-8";
    }
    if (file.endsWith(".js")) {
      return "text/javascript;charset=UTF-8";
    }
    return "image/svg+xml";
  }
}
