package org.buddygrid.session.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
      case AT_RISK ->
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
