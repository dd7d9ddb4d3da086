package org.buddygrid.it.tomcat.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.buddygrid.session.BuddyGridSessions;

/**
 * The test application, mapped to {@code /s}; {@code op} says what to do:
 *
 * <ul>
 *   <li>{@code set&name=&value=}: sets a String attribute (creates the session);
 *   <li>{@code get&name=}: the attribute's value, or {@code null};
 *   <li>{@code append&value=}: appends to the list attribute {@code log}, answers its size;
 *   <li>{@code log}: the list {@code log}, comma-separated;
 *   <li>{@code probe}: binds an {@link ActivationProbe};
 *   <li>{@code invalidate};
 *   <li>{@code events}: this node's {@link EventLog}, one event per line (no session touched);
 *   <li>{@code members}: in filter mode, how many members of the grid answer a status query, else
 *       {@code -1} (no session touched).
 * </ul>
 *
 * Every answer names the node in {@code X-Node} (the context parameter {@code it.node}); an
 * operation that needs a session and finds none answers 404.
 */
public class SessionServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("X-Node", getServletContext().getInitParameter("it.node"));
    String op = request.getParameter("op");
    if ("events".equals(op)) {
      response.getWriter().print(String.join("\n", EventLog.events()));
      return;
    }
    if ("members".equals(op)) {
      response.getWriter().print(members());
      return;
    }
    boolean creates = "set".equals(op) || "append".equals(op) || "probe".equals(op);
    HttpSession session = request.getSession(creates);
    if (session == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "no session");
      return;
    }
    response.getWriter().print(apply(op, request, session));
  }

  private int members() {
    return BuddyGridSessions.grid(getServletContext())
        .map(grid -> grid.memberStatuses(Duration.ofSeconds(1)).toCompletableFuture().join().size())
        .orElse(-1);
  }

  @SuppressWarnings("unchecked")
  private static String apply(String op, HttpServletRequest request, HttpSession session) {
    switch (String.valueOf(op)) {
      case "set":
        session.setAttribute(request.getParameter("name"), request.getParameter("value"));
        return "ok";
      case "get":
        return String.valueOf(session.getAttribute(request.getParameter("name")));
      case "append":
        List<String> log = (List<String>) session.getAttribute("log");
        List<String> appended = log == null ? new ArrayList<>() : new ArrayList<>(log);
        appended.add(request.getParameter("value"));
        session.setAttribute("log", appended);
        return "ok " + appended.size();
      case "log":
        List<String> current = (List<String>) session.getAttribute("log");
        return current == null ? "" : String.join(",", current);
      case "probe":
        session.setAttribute("probe", new ActivationProbe());
        return "ok";
      case "invalidate":
        session.invalidate();
        return "ok";
      default:
        throw new IllegalArgumentException(
            "unknown op " + op + ": use set, get, append, log, probe, invalidate or events");
    }
  }
}
