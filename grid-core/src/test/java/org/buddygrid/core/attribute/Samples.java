package org.buddygrid.core.attribute;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.buddygrid.core.attribute.fixtures.CartItem;
import org.buddygrid.core.attribute.fixtures.Money;
import org.buddygrid.core.attribute.fixtures.Tier;
import org.buddygrid.core.attribute.fixtures.UserProfile;

/** Codecs and values shared by the tests. */
final class Samples {
  static final String FIXTURES = "org.buddygrid.core.attribute.fixtures.**";

  private Samples() {}

  /** A codec allowing the test fixtures, with default limits. */
  static AttributeCodec codec() {
    return new AttributeCodec(ClassPolicy.allowing(FIXTURES), CodecLimits.defaults());
  }

  static Cart cart(int items) {
    Cart cart = new Cart().couponCode("WINTER10");
    for (int i = 0; i < items; i++) {
      cart.add(
          new CartItem("SKU-" + (1000 + i), "Item number " + i, 1 + i % 3, Money.eur(i + ".99")));
    }
    return cart;
  }

  static UserProfile profile() {
    Map<String, String> preferences = new LinkedHashMap<>();
    preferences.put("language", "fr");
    preferences.put("newsletter", "weekly");
    return new UserProfile(
        UUID.fromString("7f9c2a4e-1b3d-4c5e-8f60-123456789abc"),
        "ada@example.com",
        "Ada Lovelace",
        Tier.GOLD,
        Instant.parse("2024-05-01T10:15:30Z"),
        new LinkedHashSet<>(List.of("customer", "beta")),
        preferences,
        new ArrayList<>(List.of("kryo", "buddy", "session failover")));
  }

  /** A realistic session: a value per attribute, as a request would leave them. */
  static Map<String, Object> session() {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("cart", cart(10));
    session.put("profile", profile());
    session.put("csrfToken", "b1946ac92492d2347c6235b4d2611184");
    session.put("locale", java.util.Locale.FRANCE);
    session.put("visits", new AtomicLong(42));
    session.put("lastSeen", LocalDate.of(2024, 5, 1));
    session.put("breadcrumbs", List.of("/", "/shop", "/shop/cart"));
    session.put("flags", Collections.unmodifiableSet(new LinkedHashSet<>(Set.of("a", "b"))));
    EnumMap<DayOfWeek, Integer> hours = new EnumMap<>(DayOfWeek.class);
    hours.put(DayOfWeek.MONDAY, 8);
    hours.put(DayOfWeek.FRIDAY, 6);
    session.put("hours", hours);
    session.put("days", EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    session.put("scores", new TreeMap<>(Map.of("x", 1.5, "y", -2.0)));
    session.put("bytes", new byte[] {1, 2, 3, -1});
    return session;
  }
}
