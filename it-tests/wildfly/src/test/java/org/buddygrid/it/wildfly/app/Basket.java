package org.buddygrid.it.wildfly.app;

import java.util.ArrayList;
import java.util.List;

/**
 * An application class kept in the session: the node that takes a session over must decode it with
 * the web application's own class loader (a WildFly deployment module), not BuddyGrid's.
 *
 * @param items the items in the order added
 */
public record Basket(List<String> items) {
  public Basket {
    items = List.copyOf(items);
  }

  /** This basket with {@code item} added at the end. */
  public Basket with(String item) {
    List<String> out = new ArrayList<>(items);
    out.add(item);
    return new Basket(out);
  }
}
