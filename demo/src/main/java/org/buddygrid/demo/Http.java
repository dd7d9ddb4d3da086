package org.buddygrid.demo;

import com.sun.net.httpserver.HttpExchange;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Small helpers the demo's servlets share: JSON and HTML responses, escaping. */
public final class Http {
  private Http() {}

  /** Sends {@code value} as JSON with {@code status}; never cached. */
  public static void json(HttpServletResponse resp, int status, Object value) throws IOException {
    byte[] body = Json.write(value).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** Sends {@code value} as JSON with {@code status} on a JDK HTTP server's exchange. */
  public static void json(HttpExchange ex, int status, Object value) throws IOException {
    byte[] b = Json.write(value).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** Sends an HTML page; never cached (it shows which node served it). */
  public static void html(HttpServletResponse resp, String page) throws IOException {
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    resp.setContentType("text/html;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** {@code s} escaped for HTML text and attribute values. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Whether {@code address} (a literal IP, as the container reports it) is a loopback address. */
  public static boolean isLoopback(String address) {
    if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
