package org.buddygrid.session.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * The response of a request in filter mode: the session is committed, and its cookie added, before
 * the response can commit.
 *
 * <p>The moments a response can commit are intercepted: {@code flushBuffer}, {@code sendRedirect},
 * {@code sendError}, {@code flush} and {@code close} of the stream or writer, and every write that
 * could fill the container's buffer or reach the declared content length. Written bytes are counted
 * (characters at the charset's most bytes per character), and while the response is not committed,
 * a write that could bring the count to the buffer size commits the session first. No byte is
 * buffered here; a commit costs nothing when the request did not touch its session since the last
 * one.
 *
 * <p>If that commit fails (the session moved, or could not be protected and the settings refuse
 * that), the response is replaced by a {@code 503} (a {@code 500} for other failures) and the
 * interrupted call throws an {@link IOException}; later output is refused the same way.
 */
final class GridSessionResponse extends HttpServletResponseWrapper implements CommitGuard {
  private static final System.Logger LOG = System.getLogger(GridSessionResponse.class.getName());

  private final SessionUse use;
  private final HttpServletRequest request;
  private long written;
  private long contentLength = -1;
  private boolean committedSeen;
  private boolean cookieAdded;
  private volatile SessionUse.Failed failed;
  private ServletOutputStream stream;
  private PrintWriter writer;

  GridSessionResponse(HttpServletResponse response, SessionUse use, HttpServletRequest request) {
    super(response);
    this.use = use;
    this.request = request;
  }

  private HttpServletResponse raw() {
    return (HttpServletResponse) getResponse();
  }

  /** Whether a session may no longer be created (its cookie could not be sent). */
  boolean isCommittedForSessions() {
    return failed != null || raw().isCommitted();
  }

  // ---------------------------------------------------------------- the moments of commit

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

  // ---------------------------------------------------------------- what the container counts

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
      cookieAdded = false;
    }
    use.cookieLost();
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
    return failed != null || super.isCommitted();
  }

  @Override
  public String encodeURL(String url) {
    return use.encodeUrl(url);
  }

  @Override
  public String encodeRedirectURL(String url) {
    return use.encodeUrl(url);
  }

  // ---------------------------------------------------------------- commits

  @Override
  public synchronized void beforeWrite(long bytes) throws IOException {
    refuseIfFailed();
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

  /** Ships the session's changes and adds its cookie. */
  @Override
  public synchronized void beforeCommit() throws IOException {
    refuseIfFailed();
    if (committedSeen || raw().isCommitted()) {
      committedSeen = true;
      return;
    }
    SessionUse.Failed f = use.commit(false);
    if (f != null) {
      fail(f);
      refuseIfFailed();
    }
    addCookie();
  }

  /**
   * The first dispatch of an asynchronous request returned: ships what it changed (an error
   * response if that fails and nothing was sent); the use goes on until the request completes.
   */
  synchronized void commitSoFar() {
    try {
      beforeCommit();
    } catch (IOException e) {
      // The failure response is out; asynchronous output will be refused.
    }
  }

  /**
   * The request (or its asynchronous cycle) is over: commits what is left, and answers with an
   * error instead if that fails and nothing was sent yet.
   */
  synchronized void finish() {
    if (failed != null) {
      return;
    }
    boolean committed = committedSeen || raw().isCommitted();
    SessionUse.Failed f = use.commit(true);
    if (f != null) {
      if (committed || !fail(f)) {
        use.app().lateFailure(f);
      }
      return;
    }
    if (!committed) {
      addCookie();
    }
  }

  /**
   * Adds the session cookie the response still needs. One added at an earlier moment of commit (the
   * response was not really committed yet) is replaced, not repeated; other cookies stay.
   */
  private void addCookie() {
    String cookie = use.cookieHeader(request.isSecure());
    if (cookie == null) {
      return;
    }
    HttpServletResponse raw = raw();
    if (cookieAdded) {
      String prefix = use.app().cookies().name() + "=";
      List<String> others = new ArrayList<>();
      for (String h : raw.getHeaders("Set-Cookie")) {
        if (!h.startsWith(prefix)) {
          others.add(h);
        }
      }
      raw.setHeader("Set-Cookie", cookie);
      others.forEach(h -> raw.addHeader("Set-Cookie", h));
    } else {
      raw.addHeader("Set-Cookie", cookie);
    }
    cookieAdded = true;
  }

  /** Replaces the response by the failure; returns whether it could be sent. */
  private boolean fail(SessionUse.Failed f) {
    failed = f;
    String cookie =
        f.kind() == SessionUse.Failure.MOVED
            ? use.app().cookies().setCookie(f.sessionId(), request.isSecure())
            : use.cookieHeader(request.isSecure());
    if (f.kind() == SessionUse.Failure.FAILED) {
      LOG.log(Level.ERROR, "session " + f.sessionId() + " could not be committed", f.cause());
    } else {
      LOG.log(
          Level.WARNING,
          "session {0} could not be committed ({1}); answered {2}",
          f.sessionId(),
          f.kind(),
          FailureResponses.status(f.kind()));
    }
    return FailureResponses.send(raw(), f.kind(), cookie);
  }

  private void refuseIfFailed() throws IOException {
    SessionUse.Failed f = failed;
    if (f != null) {
      throw new IOException(
          "the response was replaced by a "
              + FailureResponses.status(f.kind())
              + " because session "
              + f.sessionId()
              + " could not be committed ("
              + f.kind()
              + ")");
    }
  }
}
