package org.buddygrid.session.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * The context's valve in Tomcat mode, added by {@link BuddyGridManager} ahead of the authenticator:
 * each request gets a {@link RequestUse}, the application gets a request and response that commit
 * the session before the response can commit, and the session is committed when the valve returns
 * (before Tomcat finishes the response) or, for an asynchronous request, when it completes. While
 * the request runs through the pipeline, {@code Manager.findSession} may take sessions over for it.
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
    } finally {
      grid.unbind(previous);
      if (request.isAsync()) {
        use.soFar();
      } else {
        use.end();
      }
    }
  }
}
