package org.buddygrid.session.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.buddygrid.replication.SessionLimitException;
import org.buddygrid.replication.SessionUnavailableException;

/**
 * Replaces a response whose session commit failed before anything was sent: {@code 503} with {@code
 * Retry-After: 1} when retrying can succeed (the session moved, or its change could not be
 * protected), {@code 500} otherwise. The body is a short plain-text sentence; the response is never
 * cached. After a move the cookie names the new owner, so a sticky balancer sends the retry there.
 * Shared by filter mode and the Tomcat manager.
 */
public final class FailureResponses {
  private FailureResponses() {}

  /** The status that answers a failure of this kind. */
  public static int status(SessionUse.Failure kind) {
    return kind == SessionUse.Failure.FAILED
        ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR
        : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
  }

  static String body(SessionUse.Failure kind) {
    return switch (kind) {
      case MOVED ->
          "Your session moved to another server while this request ran, so its changes were not"
              + " saved. Please try again.\n";
      case AT_RISK, UNCONFIRMED ->
          "Your session's changes could not be copied to a backup server. Please try again.\n";
      case FAILED -> "Your session's changes could not be saved.\n";
    };
  }

  /**
   * Sends the failure on {@code raw}, which must not be committed yet.
   *
   * @param cookie a {@code Set-Cookie} value to send, or {@code null}
   * @return whether the failure could be sent (the response was not committed meanwhile)
   */
  public static boolean send(HttpServletResponse raw, SessionUse.Failure kind, String cookie) {
    return write(raw, status(kind), body(kind), cookie);
  }

  /**
   * Answers a request that would have created a session beyond {@code
   * buddygrid.max-owned-sessions}: {@code 503} with {@code Retry-After: 1}, if {@code raw} is not
   * committed yet.
   *
   * @return whether the answer could be sent
   */
  public static boolean sendSessionLimit(HttpServletResponse raw) {
    return write(
        raw,
        HttpServletResponse.SC_SERVICE_UNAVAILABLE,
        "This server holds as many sessions as it may. Please try again.\n",
        null);
  }

  /**
   * Answers a request whose session the grid holds but could not hand over now (its owner has just
   * crashed and is not excluded yet): {@code 503} with {@code Retry-After: 1} and no cookie, so the
   * client keeps its session id and the retry finds the session promoted.
   *
   * @return whether the answer could be sent
   */
  public static boolean sendSessionUnavailable(HttpServletResponse raw) {
    return write(
        raw,
        HttpServletResponse.SC_SERVICE_UNAVAILABLE,
        "Your session is being recovered after a server failure. Please try again.\n",
        null);
  }

  /**
   * Answers a request the application failed with a {@code SessionLimitException} (a session
   * refused at {@code buddygrid.max-owned-sessions}) or a {@code SessionUnavailableException} (a
   * session the grid could not hand over now), found anywhere in {@code failure}'s cause chain:
   * {@code 503} with {@code Retry-After: 1}, as {@link #sendSessionLimit} and {@link
   * #sendSessionUnavailable} do.
   *
   * @return whether {@code failure} was one of them and the answer could be sent; if not, the
   *     caller lets the failure take its course
   */
  public static boolean sendRefusal(HttpServletResponse raw, Throwable failure) {
    return (causedBy(failure, SessionLimitException.class) && sendSessionLimit(raw))
        || (causedBy(failure, SessionUnavailableException.class) && sendSessionUnavailable(raw));
  }

  /**
   * Whether {@code failure} is, or was caused by, a {@code SessionLimitException} or a {@code
   * SessionUnavailableException}.
   */
  public static boolean isRefusal(Throwable failure) {
    return causedBy(failure, SessionLimitException.class)
        || causedBy(failure, SessionUnavailableException.class);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean write(HttpServletResponse raw, int status, String text, String cookie) {
    try {
      raw.reset();
    } catch (IllegalStateException committed) {
      return false;
    }
    raw.setStatus(status);
    if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
      raw.setHeader("Retry-After", "1");
    }
    raw.setHeader("Cache-Control", "no-store");
    if (cookie != null) {
      raw.addHeader("Set-Cookie", cookie);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    raw.setContentType("text/plain;charset=UTF-8");
    raw.setContentLength(bytes.length);
    try {
      try {
        raw.getOutputStream().write(bytes);
      } catch (IllegalStateException writerInUse) {
        raw.getWriter().write(text);
      }
      raw.flushBuffer();
    } catch (IOException clientGone) {
      // Nothing more to tell a client that left.
    }
    return true;
  }
}
