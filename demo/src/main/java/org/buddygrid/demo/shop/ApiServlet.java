package org.buddygrid.demo.shop;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.buddygrid.demo.Http;

/**
 * The JSON endpoints scripts use.
 *
 * <ul>
 *   <li>{@code POST /api/counter}: increments the session's counter (creating the session if
 *       needed) and returns {@code {"value":N,"servedBy":"node1","sessionId":"..."}}.
 *   <li>{@code GET /api/counter}: the same without incrementing, and without creating a session
 *       (value 0 and sessionId null when there is none).
 *   <li>{@code GET /api/cart}: the cart; {@code POST /api/cart?sku=mug&quantity=2}: adds to it.
 * </ul>
 */
public final class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The session attribute that holds the counter. */
  public static final String COUNTER = "counter";

  private final String route;

  public ApiServlet(String route) {
    this.route = route;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpSession session = req.getSession(false);
    switch (req.getServletPath()) {
      case "/api/counter" -> counter(resp, session);
      case "/api/cart" -> cart(resp, session);
      default -> Http.json(resp, 404, Map.of("error", "no such endpoint"));
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (req.getServletPath()) {
      case "/api/counter" -> {
        HttpSession session = req.getSession(true);
        Object old = session.getAttribute(COUNTER);
        int value = (old instanceof Integer i ? i : 0) + 1;
        session.setAttribute(COUNTER, value);
        counter(resp, session);
      }
      case "/api/cart" -> {
        String sku = req.getParameter("sku");
        if (sku == null || Product.bySku(sku).isEmpty()) {
          Http.json(
              resp,
              400,
              Map.of(
                  "error",
                  "unknown sku "
                      + sku
                      + "; known: espresso, mug, stickers, tshirt, socks, notebook"));
          return;
        }
        int quantity;
        try {
          quantity =
              Integer.parseInt(
                  req.getParameter("quantity") == null ? "1" : req.getParameter("quantity"));
        } catch (NumberFormatException e) {
          quantity = 0;
        }
        if (quantity < 1 || quantity > 99) {
          Http.json(resp, 400, Map.of("error", "quantity must be 1 to 99"));
          return;
        }
        HttpSession session = req.getSession(true);
        session.setAttribute(Cart.ATTRIBUTE, cartOf(session).add(sku, quantity));
        cart(resp, session);
      }
      default -> Http.json(resp, 404, Map.of("error", "no such endpoint"));
    }
  }

  /** The session's cart, empty if it has none (or no session). */
  static Cart cartOf(HttpSession session) {
    Object c = session == null ? null : session.getAttribute(Cart.ATTRIBUTE);
    return c instanceof Cart cart ? cart : Cart.empty();
  }

  private void counter(HttpServletResponse resp, HttpSession session) throws IOException {
    Object v = session == null ? null : session.getAttribute(COUNTER);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("value", v instanceof Integer i ? i : 0);
    body.put("servedBy", route);
    body.put("sessionId", session == null ? null : session.getId());
    Http.json(resp, 200, body);
  }

  private void cart(HttpServletResponse resp, HttpSession session) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>(cartOf(session).toJson());
    body.put("user", session == null ? null : session.getAttribute(ShopServlet.USER));
    body.put("servedBy", route);
    body.put("sessionId", session == null ? null : session.getId());
    Http.json(resp, 200, body);
  }
}
