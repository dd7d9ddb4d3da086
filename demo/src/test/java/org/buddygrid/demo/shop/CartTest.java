package org.buddygrid.demo.shop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CartTest {
  @Test
  void addingKeepsOneLinePerProductInOrder() {
    Cart c = Cart.empty().add("mug", 1).add("espresso", 2).add("mug", 1);
    assertThat(c.lines())
        .containsExactly(new Cart.CartLine("mug", 2), new Cart.CartLine("espresso", 2));
    assertThat(c.count()).isEqualTo(4);
    assertThat(c.totalCents()).isEqualTo(2 * 1290 + 2 * 890);
    assertThat(Cart.empty().lines()).isEmpty();
    assertThat(c.toJson()).containsEntry("total", "43.60").containsEntry("count", 4);
  }

  @Test
  void pricesAndProducts() {
    assertThat(Product.price(5)).isEqualTo("0.05");
    assertThat(Product.price(1290)).isEqualTo("12.90");
    assertThat(Product.bySku("mug")).isPresent();
    assertThat(Product.bySku("nope")).isEmpty();
  }
}
