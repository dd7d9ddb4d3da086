package org.buddygrid.demo.shop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shopping cart kept in the session under {@link #ATTRIBUTE}. Immutable: adding returns a new
 * cart, which the shop sets again, so every change is a {@code setAttribute} that BuddyGrid ships
 * to the backups.
 *
 * @param lines one line per product, in the order first added
 */
public record Cart(List<CartLine> lines) {
  /** The session attribute that holds the cart. */
  public static final String ATTRIBUTE = "cart";

  public Cart {
    lines = List.copyOf(lines);
  }

  /** An empty cart. */
  public static Cart empty() {
    return new Cart(List.of());
  }

  /** This cart with {@code quantity} more of {@code sku}. */
  public Cart add(String sku, int quantity) {
    List<CartLine> out = new ArrayList<>(lines);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).sku().equals(sku)) {
        out.set(i, new CartLine(sku, out.get(i).quantity() + quantity));
        return new Cart(out);
      }
    }
    out.add(new CartLine(sku, quantity));
    return new Cart(out);
  }

  /** How many items in all. */
  public int count() {
    return lines.stream().mapToInt(CartLine::quantity).sum();
  }

  /** The total price in cents. */
  public long totalCents() {
    return lines.stream()
        .mapToLong(l -> (long) l.quantity() * Product.bySku(l.sku()).map(Product::cents).orElse(0))
        .sum();
  }

  /** As JSON fields: items (sku, name, quantity, price), count and total. */
  public Map<String, Object> toJson() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (CartLine l : lines) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sku", l.sku());
      m.put("name", Product.bySku(l.sku()).map(Product::name).orElse(l.sku()));
      m.put("quantity", l.quantity());
      items.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items);
    m.put("count", count());
    m.put("total", Product.price(totalCents()));
    return m;
  }

  /**
   * One line of the cart.
   *
   * @param sku the product
   * @param quantity how many, at least 1
   */
  public record CartLine(String sku, int quantity) {}
}
