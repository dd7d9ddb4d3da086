package org.buddygrid.demo.shop;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Something the demo shop sells. The catalogue is fixed: the point of the demo is the cart in the
 * session, not the products.
 *
 * @param sku the stock-keeping unit, used in forms and the JSON API
 * @param name what it is called
 * @param cents its price in cents
 * @param colour the card's accent colour (CSS)
 */
public record Product(String sku, String name, int cents, String colour) {
  /** Every product, in display order. */
  public static final List<Product> CATALOGUE =
      List.of(
          new Product("espresso", "Espresso beans, 250 g", 890, "#8d5524"),
          new Product("mug", "Grid mug", 1290, "#2f80ed"),
          new Product("stickers", "Buddy stickers (5)", 350, "#eb5757"),
          new Product("tshirt", "Failover T-shirt", 1990, "#27ae60"),
          new Product("socks", "Sticky-session socks", 990, "#9b51e0"),
          new Product("notebook", "Quorum notebook", 1490, "#f2994a"));

  /** The product with this SKU. */
  public static Optional<Product> bySku(String sku) {
    return CATALOGUE.stream().filter(p -> p.sku().equals(sku)).findFirst();
  }

  /** {@code cents} as a price, e.g. {@code 12.90}. */
  public static String price(long cents) {
    return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }
}
