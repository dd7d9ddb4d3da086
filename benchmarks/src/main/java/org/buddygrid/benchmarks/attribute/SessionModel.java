package org.buddygrid.benchmarks.attribute;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A realistic shop session: a cart of ten items (a mutable class holding records), a user profile
 * record, a few strings and a few collections. Every class is {@link Serializable} so that Java
 * serialization can be measured on the very same objects.
 */
public final class SessionModel {
  private SessionModel() {}

  /** The allow-list pattern that covers these classes. */
  public static final String PACKAGE = "org.buddygrid.benchmarks.**";

  public enum Tier {
    STANDARD,
    SILVER,
    GOLD
  }

  public record Money(BigDecimal amount, String currency) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public record CartItem(String sku, String title, int quantity, Money unitPrice, boolean giftWrap)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Mutable, with a no-argument constructor, as most session objects are. */
  public static final class Cart implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<CartItem> items = new ArrayList<>();
    private String couponCode;
    private Instant updatedAt;

    public List<CartItem> items() {
      return items;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cart
          && ((Cart) o).items.equals(items)
          && Objects.equals(((Cart) o).couponCode, couponCode)
          && Objects.equals(((Cart) o).updatedAt, updatedAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(items, couponCode, updatedAt);
    }
  }

  public record UserProfile(
      UUID id,
      String email,
      String displayName,
      Locale locale,
      Tier tier,
      LocalDate memberSince,
      Set<String> roles,
      Map<String, String> preferences)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The session's attributes, by name, in the order a request would have set them. */
  public static Map<String, Object> session() {
    Cart cart = new Cart();
    cart.couponCode = "SPRING-24";
    cart.updatedAt = Instant.parse("2024-05-01T10:15:30.123Z");
    String[] titles = {
      "Espresso machine", "Coffee grinder", "Milk jug", "Tamper", "Cleaning tablets",
      "Descaler", "Cup set", "Beans, 1 kg", "Filter papers", "Travel mug"
    };
    for (int i = 0; i < titles.length; i++) {
      cart.items.add(
          new CartItem(
              "SKU-" + (40210 + i * 7),
              titles[i],
              1 + i % 3,
              new Money(new BigDecimal((19 + i * 13) + ".99"), "EUR"),
              i % 4 == 0));
    }

    Map<String, String> preferences = new LinkedHashMap<>();
    preferences.put("newsletter", "weekly");
    preferences.put("theme", "dark");
    preferences.put("currency", "EUR");
    UserProfile profile =
        new UserProfile(
            UUID.fromString("3f1c9e2a-7b4d-4e8f-9a01-5c6d7e8f9a0b"),
            "ada.lovelace@example.com",
            "Ada Lovelace",
            Locale.UK,
            Tier.GOLD,
            LocalDate.of(2019, 3, 14),
            new LinkedHashSet<>(List.of("customer", "reviewer", "beta")),
            preferences);

    List<String> recentlyViewed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      recentlyViewed.add("/products/" + (40210 + i * 7));
    }
    Map<String, Integer> counters = new LinkedHashMap<>();
    counters.put("pageViews", 57);
    counters.put("searches", 9);
    counters.put("cartUpdates", 14);

    Map<String, Object> session = new LinkedHashMap<>();
    session.put("cart", cart);
    session.put("user", profile);
    session.put("csrfToken", "0b6a3c9f2e1d4c8ba7f05e3d2c1b0a99");
    session.put("lastSearch", "stainless steel milk jug 600 ml");
    session.put("recentlyViewed", recentlyViewed);
    session.put("featureFlags", new LinkedHashSet<>(List.of("new-checkout", "reviews-v2")));
    session.put("counters", counters);
    session.put("loginTime", Instant.parse("2024-05-01T09:58:02Z"));
    return session;
  }
}
