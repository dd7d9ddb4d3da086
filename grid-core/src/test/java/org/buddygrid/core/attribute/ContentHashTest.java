package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentHashTest {

  @Test
  void isXxh3WithSeedZeroSoEveryNodeAgrees() {
    // Reference values of XXH3-64 (seed 0) from the xxHash project.
    assertThat(ContentHash.of(new byte[0])).isEqualTo(0x2D06800538D394C2L);
  }

  @Test
  void aSliceHashesLikeTheSameBytesAlone() {
    byte[] bytes = "some encoded attribute bytes".getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    assertThat(ContentHash.of(padded, 7, bytes.length)).isEqualTo(ContentHash.of(bytes));
    assertThat(ContentHash.of(bytes, 0, bytes.length)).isEqualTo(ContentHash.of(bytes));
  }

  @Test
  void equalValuesEncodeToEqualHashesAndChangedValuesDoNot() {
    AttributeCodec codec = Samples.codec();
    long before = ContentHash.of(codec.encode("cart", Samples.cart(10)));
    assertThat(ContentHash.of(codec.encode("cart", Samples.cart(10)))).isEqualTo(before);
    assertThat(ContentHash.of(codec.encode("cart", Samples.cart(10).couponCode("SPRING"))))
        .isNotEqualTo(before);
  }

  @Test
  void everySingleBitFlipChangesTheHash() {
    byte[] bytes = Samples.codec().encode("session", Samples.session());
    Set<Long> hashes = new HashSet<>();
    hashes.add(ContentHash.of(bytes));
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] flipped = Arrays.copyOf(bytes, bytes.length);
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      hashes.add(ContentHash.of(flipped));
    }
    assertThat(hashes).hasSize(bytes.length * 8 + 1);
  }

  @Test
  void refusesSlicesOutsideTheArray() {
    assertThatThrownBy(() -> ContentHash.of(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
