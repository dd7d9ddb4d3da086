package org.buddygrid.session.tomcat;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.buddygrid.session.internal.FailureResponses;

/**
 * The context's valve in Tomcat mode, added by {@link BuddyGridManager} ahead of the authenticator:
 * each request gets a {@link RequestUse}, the application gets a request and response that commit
 * the session before the response can commit, and the session is committed when the valve returns
 * (before Tomcat finishes the response) or, for an asynchronous request, when it completes. While
 * the request runs through the pipeline, {@code Manager.findSession} may take sessions over for it.
 *
 * <p>A request the application did not handle because a session could not be created at {@code
 * buddygrid.max-owned-sessions} ({@code SessionLimitException}) or could not be handed over now
 * ({@code SessionUnavailableException}) is answered {@code 503} with {@code Retry-After: 1}, as in
 * filter mode, instead of Tomcat's {@code 500}: found in the exception Tomcat recorded for the
 * request (a servlet or filter threw it) or thrown through this valve (a valve after it), in the
 * cause chain. An application that catches the exception itself answers as it likes.
 */
final class BuddyGridValve extends ValveBase {
  private final BuddyGridManager manager;

  BuddyGridValve(BuddyGridManager manager) {
    super(true);
    this.manager = manager;
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    TomcatGrid grid = manager.running();
    if (grid == null) {
      getNext().invoke(request, response);
      return;
    }
    RequestUse use = request.getNote(RequestUse.NOTE) instanceof RequestUse u ? u : null;
    if (use == null) {
      use = new RequestUse(grid, request, response);
      request.setNote(RequestUse.NOTE, use);
      response.setResponse(new CommitGuardResponse(response.getResponse(), use));
      request.setRequest(new UseRequest(request.getRequest(), use));
    }
    RequestUse previous = grid.bind(use);
    try {
      getNext().invoke(request, response);
      answerRefusal(request, response);
    } catch (RuntimeException e) {
      if (!FailureResponses.sendRefusal(response, e)) {
        throw e;
      }
    } finally {
      grid.unbind(previous);
      if (request.isAsync()) {
        use.soFar();
      } else {
        use.end();
      }
    }
  }

  /**
   * Tomcat's wrapper valve turns an exception from the application into a {@code 500} it renders
   * later (the exception is a request attribute, the response in error state): when that exception
   * is a refusal of the grid's, the error is cleared and the {@code 503} sent instead.
   */
  private static void answerRefusal(Request request, Response response) {
    if (!(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure)
        || !response.isError()
        || response.isCommitted()
        || !FailureResponses.isRefusal(failure)) {
      return;
    }
    response.resetError();
    request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
    FailureResponses.sendRefusal(response, failure);
  }
}
