package org.buddygrid.it.wildfly.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/** Writes an answer as {@code key=value} lines (absent values as empty), as plain text. */
final class Lines {
  private Lines() {}

  static void write(HttpServletResponse resp, Map<String, Object> values) throws IOException {
    resp.setContentType("text/plain;charset=UTF-8");
    PrintWriter w = resp.getWriter();
    values.forEach(
        (k, v) -> w.append(k).append('=').append(v == null ? "" : v.toString()).append('\n'));
  }
}
