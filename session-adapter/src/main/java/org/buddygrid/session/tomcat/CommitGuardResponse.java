package org.buddygrid.session.tomcat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.buddygrid.session.internal.CommitGuard;
import org.buddygrid.session.internal.GuardedOutputStream;
import org.buddygrid.session.internal.GuardedWriter;

/**
 * The response the application gets in Tomcat mode ({@code Response.setResponse}): the request's
 * session is committed, and its cookie added, before the response can commit through it.
 *
 * <p>The moments intercepted are those of filter mode: {@code flushBuffer}, {@code sendRedirect},
 * {@code sendError}, {@code flush} and {@code close} of the stream or writer, and every write that
 * could fill the container's buffer or reach the declared content length (bytes counted, characters
 * at the charset's most bytes per character). Nothing is buffered here. After a failed commit the
 * interrupted call throws an {@link IOException} and later output is refused.
 */
final class CommitGuardResponse extends HttpServletResponseWrapper implements CommitGuard {
  private final RequestUse use;
  private long written;
  private long contentLength = -1;
  private boolean committedSeen;
  private ServletOutputStream stream;
  private PrintWriter writer;

  CommitGuardResponse(HttpServletResponse response, RequestUse use) {
    super(response);
    this.use = use;
  }

  private HttpServletResponse raw() {
    return (HttpServletResponse) getResponse();
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    beforeCommit();
    super.sendRedirect(location);
  }

  @Override
  public void sendError(int sc) throws IOException {
    beforeCommit();
    super.sendError(sc);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    beforeCommit();
    super.sendError(sc, msg);
  }

  @Override
  public synchronized ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new GuardedOutputStream(super.getOutputStream(), this);
    }
    return stream;
  }

  @Override
  public synchronized PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = GuardedWriter.printWriter(super.getWriter(), this, maxBytesPerChar());
    }
    return writer;
  }

  private float maxBytesPerChar() {
    try {
      return Charset.forName(getCharacterEncoding()).newEncoder().maxBytesPerChar();
    } catch (RuntimeException e) {
      return 4f;
    }
  }

  @Override
  public void setContentLength(int len) {
    super.setContentLength(len);
    contentLength = len;
  }

  @Override
  public void setContentLengthLong(long len) {
    super.setContentLengthLong(len);
    contentLength = len;
  }

  @Override
  public void setHeader(String name, String value) {
    super.setHeader(name, value);
    noteContentLength(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    super.addHeader(name, value);
    noteContentLength(name, value);
  }

  @Override
  public void setIntHeader(String name, int value) {
    super.setIntHeader(name, value);
    noteContentLength(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    super.addIntHeader(name, value);
    noteContentLength(name, Integer.toString(value));
  }

  private void noteContentLength(String name, String value) {
    if ("Content-Length".equalsIgnoreCase(name)) {
      try {
        contentLength = value == null ? -1 : Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        contentLength = -1;
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    synchronized (this) {
      written = 0;
      contentLength = -1;
    }
  }

  @Override
  public void resetBuffer() {
    super.resetBuffer();
    synchronized (this) {
      written = 0;
    }
  }

  @Override
  public boolean isCommitted() {
    return use.isFailed() || super.isCommitted();
  }

  @Override
  public synchronized void beforeWrite(long bytes) throws IOException {
    use.refuseIfFailed();
    if (!committedSeen) {
      if (raw().isCommitted()) {
        committedSeen = true;
      } else {
        long after = written + bytes;
        if (after >= raw().getBufferSize() || (contentLength >= 0 && after >= contentLength)) {
          beforeCommit();
        }
      }
    }
    written += bytes;
  }

  /** Ships the session's changes; Tomcat adds the cookie. */
  @Override
  public synchronized void beforeCommit() throws IOException {
    use.refuseIfFailed();
    if (committedSeen || raw().isCommitted()) {
      committedSeen = true;
      return;
    }
    use.beforeCommit();
  }
}
