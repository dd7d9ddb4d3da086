package org.buddygrid.session.conformance.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Serves the application's {@link EventLog} without touching any session: {@code GET
 * /events?session=<id>&session=<id2>} answers one {@code event=<text>|<millis>} line per event of
 * those sessions, in order; {@code POST /events?reset} forgets every event.
 */
public final class EventsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] ids = request.getParameterValues("session");
    StringBuilder out = new StringBuilder();
    if (ids != null) {
      for (EventLog.Event e : EventLog.of(getServletContext()).forSessions(List.of(ids))) {
        out.append("event=").append(e.text()).append('|').append(e.at()).append('\n');
      }
    }
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(out.toString());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) {
    if (request.getParameter("reset") == null) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      return;
    }
    EventLog.of(getServletContext()).clear();
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
