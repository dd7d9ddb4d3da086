package org.buddygrid.demo.shop;

import static org.buddygrid.demo.Http.escape;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.buddygrid.demo.Http;

/**
 * The shop's HTML pages: the product list with the cart and a sign-in box at {@code /}, and the
 * form targets {@code POST /login} (which calls {@code changeSessionId}, as a login should), {@code
 * /logout}, {@code /cart/add} and {@code /cart/clear}, each answered with a redirect to {@code /}.
 * Reading the page creates no session; the first change does.
 */
public final class ShopServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The session attribute that holds the signed-in user's name. */
  public static final String USER = "user";

  private final String route;

  public ShopServlet(String route) {
    this.route = route;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!req.getServletPath().equals("/")) {
      resp.sendError(404);
      return;
    }
    Http.html(resp, page(req.getSession(false)));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (req.getServletPath()) {
      case "/login" -> {
        String name = req.getParameter("user");
        if (name == null || name.isBlank()) {
          name = "guest";
        }
        name = name.strip();
        HttpSession session = req.getSession(true);
        req.changeSessionId(); // a new id at login: what an old id knew cannot ride on it
        session.setAttribute(USER, name.length() > 40 ? name.substring(0, 40) : name);
      }
      case "/logout" -> {
        HttpSession session = req.getSession(false);
        if (session != null) {
          session.invalidate();
        }
      }
      case "/cart/add" -> {
        String sku = req.getParameter("sku");
        if (sku != null && Product.bySku(sku).isPresent()) {
          HttpSession session = req.getSession(true);
          session.setAttribute(Cart.ATTRIBUTE, ApiServlet.cartOf(session).add(sku, 1));
        }
      }
      case "/cart/clear" -> {
        HttpSession session = req.getSession(false);
        if (session != null) {
          session.removeAttribute(Cart.ATTRIBUTE);
        }
      }
      default -> {
        resp.sendError(404);
        return;
      }
    }
    resp.sendRedirect("/");
  }

  private String page(HttpSession session) {
    Object user = session == null ? null : session.getAttribute(USER);
    Cart cart = ApiServlet.cartOf(session);
    StringBuilder b = new StringBuilder(4096);
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>BuddyGrid shop</title><link rel=\"stylesheet\" href=\"/static/shop.css\">")
        .append("</head><body><header><div class=\"brand\">BuddyGrid <span>shop</span></div>")
        .append("<div class=\"served\">served by <b id=\"served-by\">")
        .append(escape(route))
        .append(
            "</b></div><a class=\"dash\" href=\"/grid\">Grid dashboard &rarr;</a></header><main>");
    b.append("<section class=\"account\">");
    if (user != null) {
      b.append("Signed in as <b id=\"user\">")
          .append(escape(user.toString()))
          .append(
              "</b><form method=\"post\" action=\"/logout\"><button id=\"logout\">Sign out</button></form>");
    } else {
      b.append("<form method=\"post\" action=\"/login\" class=\"login\">")
          .append(
              "<input id=\"login-name\" name=\"user\" placeholder=\"Your name\" maxlength=\"40\">")
          .append("<button id=\"login-button\">Sign in</button></form>")
          .append("<small>Signing in gives your session a new id (changeSessionId).</small>");
    }
    b.append("</section><section class=\"products\">");
    for (Product p : Product.CATALOGUE) {
      b.append("<article style=\"--accent:")
          .append(p.colour())
          .append("\"><div class=\"swatch\"></div><h3>")
          .append(escape(p.name()))
          .append("</h3><p class=\"price\">")
          .append(Product.price(p.cents()))
          .append(
              "</p><form method=\"post\" action=\"/cart/add\"><input type=\"hidden\" name=\"sku\" value=\"")
          .append(p.sku())
          .append("\"><button class=\"add\" data-sku=\"")
          .append(p.sku())
          .append("\">Add to cart</button></form></article>");
    }
    b.append("</section><aside id=\"cart\"><h2>Your cart (<span id=\"cart-count\">")
        .append(cart.count())
        .append("</span>)</h2><ul id=\"cart-items\">");
    for (Cart.CartLine l : cart.lines()) {
      String name = Product.bySku(l.sku()).map(Product::name).orElse(l.sku());
      b.append("<li data-sku=\"")
          .append(escape(l.sku()))
          .append("\" data-quantity=\"")
          .append(l.quantity())
          .append("\"><span>")
          .append(l.quantity())
          .append(" &times; ")
          .append(escape(name))
          .append("</span></li>");
    }
    if (cart.lines().isEmpty()) {
      b.append("<li class=\"empty\">Nothing yet.</li>");
    }
    b.append("</ul><p class=\"total\">Total <b id=\"cart-total\">")
        .append(Product.price(cart.totalCents()))
        .append("</b></p>");
    if (!cart.lines().isEmpty()) {
      b.append(
          "<form method=\"post\" action=\"/cart/clear\"><button class=\"link\">Empty the cart</button></form>");
    }
    b.append("</aside></main><footer>");
    if (session != null) {
      b.append("Session <code id=\"session-id\">")
          .append(escape(session.getId()))
          .append("</code>: owned by ")
          .append(escape(route))
          .append(
              ", the part after the dot. Kill that node and reload: another node takes the session over.");
    } else {
      b.append("No session yet: add something to the cart or sign in.");
    }
    b.append("</footer></body></html>");
    return b.toString();
  }
}
