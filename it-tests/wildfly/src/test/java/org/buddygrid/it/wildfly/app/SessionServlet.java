package org.buddygrid.it.wildfly.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test application's session endpoint, answering {@code key=value} lines.
 *
 * <ul>
 *   <li>{@code POST /session?user=..&item=..}: creates the session if needed, sets {@code user} (a
 *       String) when given, adds {@code item} to the {@link Basket} when given, and counts the
 *       visit (an Integer).
 *   <li>{@code GET /session}: the session as this node serves it, without creating one.
 * </ul>
 *
 * Every answer names the node that served it ({@code servedBy}, from {@code jboss.node.name}).
 */
@WebServlet("/session")
public class SessionServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpSession session = req.getSession(true);
    String user = req.getParameter("user");
    if (user != null) {
      session.setAttribute("user", user);
    }
    String item = req.getParameter("item");
    if (item != null) {
      Basket basket = (Basket) session.getAttribute("basket");
      session.setAttribute("basket", (basket == null ? new Basket(List.of()) : basket).with(item));
    }
    Integer visits = (Integer) session.getAttribute("visits");
    session.setAttribute("visits", visits == null ? 1 : visits + 1);
    answer(resp, session);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    answer(resp, req.getSession(false));
  }

  private static void answer(HttpServletResponse resp, HttpSession session) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("servedBy", System.getProperty("jboss.node.name"));
    if (session != null) {
      out.put("id", session.getId());
      out.put("sessionClass", session.getClass().getName());
      out.put("user", session.getAttribute("user"));
      Basket basket = (Basket) session.getAttribute("basket");
      out.put("items", basket == null ? null : String.join(",", basket.items()));
      out.put("visits", session.getAttribute("visits"));
    }
    Lines.write(resp, out);
  }
}
