package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.junit.jupiter.api.Test;

/** One codec shared by threads: every value comes back as it went, and bad input harms no one. */
class ConcurrencyTest {

  @Test
  void concurrentEncodesAndDecodesDoNotInterfere() throws Exception {
    AttributeCodec codec = Samples.codec();
    byte[] garbage = codec.encode(Samples.session());
    garbage[garbage.length / 2] ^= 0x55;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  for (int i = 0; i < 1000; i++) {
                    Cart cart = Samples.cart(1 + (thread + i) % 12).couponCode("T" + thread + i);
                    assertThat(codec.decode(codec.encode("cart", cart))).isEqualTo(cart);
                    if (i % 10 == 0) {
                      try {
                        codec.decode(garbage);
                      } catch (MalformedAttributeException expected) {
                        // counted by the caller in real use
                      }
                    }
                    checked++;
                  }
                  return checked;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(1000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
