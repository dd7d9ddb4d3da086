package org.buddygrid.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * One HTTP/1.1 answer read off a keep-alive connection by the load generators: its status, the
 * number its body holds ({@code -1} if the status is not 200 or the body is not a number), the
 * session cookie it sets ({@code null} if none; {@code ""} when it clears it) and whether the
 * server closes the connection. Needs a {@code Content-Length}.
 */
record HttpAnswer(int status, long value, String sessionCookie, boolean close) {

  /** Reads one whole answer (head and body) from {@code in}. */
  static HttpAnswer read(InputStream in, StringBuilder line) throws IOException {
    int status = -1;
    int length = -1;
    boolean close = false;
    String cookie = null;
    String header;
    boolean first = true;
    while (!(header = readLine(in, line)).isEmpty()) {
      if (first) {
        status = Integer.parseInt(header.substring(9, 12));
        first = false;
        continue;
      }
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Integer.parseInt(value);
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "set-cookie" -> {
          if (value.startsWith("JSESSIONID=")) {
            int end = value.indexOf(';');
            cookie = value.substring("JSESSIONID=".length(), end < 0 ? value.length() : end);
          }
        }
        default -> {}
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length (status " + status + ")");
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("body cut short");
    }
    return new HttpAnswer(status, status == 200 ? number(body) : -1, cookie, close);
  }

  private static long number(byte[] body) {
    long v = 0;
    for (byte b : body) {
      if (b < '0' || b > '9') {
        return -1;
      }
      v = v * 10 + (b - '0');
    }
    return v;
  }

  private static String readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
