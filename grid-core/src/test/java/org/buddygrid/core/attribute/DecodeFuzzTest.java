package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad-input catalogue rows 1 to 4, by fuzzing: truncated, bit-flipped, overwritten, spliced and
 * random inputs, with fixed seeds, must each decode to some value or be refused with {@link
 * MalformedAttributeException}; any other exception or error fails the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DecodeFuzzTest {
  private final AttributeCodec codec = Samples.codec();
  private final byte[] session = codec.encode("session", Samples.session());
  private int decoded;
  private int refused;

  /** Decodes, letting anything but a MalformedAttributeException fail the test. */
  private void decode(byte[] bytes) {
    try {
      codec.decode("fuzz", bytes, 0, bytes.length);
      decoded++;
    } catch (MalformedAttributeException e) {
      refused++;
    }
  }

  @Test
  void theUntouchedSessionDecodes() {
    decode(session);
    assertThat(decoded).isEqualTo(1);
  }

  @Test
  void everyTruncationIsRefused() {
    for (int length = 0; length < session.length; length++) {
      decode(Arrays.copyOf(session, length));
    }
    assertThat(refused).isEqualTo(session.length);
  }

  @Test
  void everySingleBitFlip() {
    for (int bit = 0; bit < session.length * 8; bit++) {
      byte[] flipped = session.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      decode(flipped);
    }
    assertThat(decoded + refused).isEqualTo(session.length * 8);
    assertThat(refused).isPositive();
  }

  @Test
  void randomOverwrites() {
    Random random = new Random(0xB0DD1E5L);
    for (int i = 0; i < 3000; i++) {
      byte[] mutated = session.clone();
      int changes = 1 + random.nextInt(8);
      for (int c = 0; c < changes; c++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      decode(mutated);
    }
    assertThat(decoded + refused).isEqualTo(3000);
  }

  @Test
  void randomSplices() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      int from = random.nextInt(session.length);
      int to = from + random.nextInt(session.length - from);
      int at = random.nextInt(session.length);
      // Copy a random slice of the value over another place: plausible structure, wrong place.
      byte[] spliced = session.clone();
      System.arraycopy(session, from, spliced, at, Math.min(to - from, session.length - at));
      decode(spliced);
      // Drop a random slice.
      byte[] cut = new byte[session.length - (to - from)];
      System.arraycopy(session, 0, cut, 0, from);
      System.arraycopy(session, to, cut, from, session.length - to);
      decode(cut);
    }
    assertThat(decoded + refused).isEqualTo(4000);
  }

  @Test
  void randomBytesAfterEachKnownClass() {
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = new byte[2 + random.nextInt(64)];
      random.nextBytes(bytes);
      bytes[0] = (byte) (i % 100); // each registered id in turn, and a few unknown ones
      bytes[1] = 1; // "not null"
      decode(bytes);
    }
    assertThat(decoded + refused).isEqualTo(3000);
  }

  @Test
  void theCodecStillWorksAfterTheFuzzing() {
    randomOverwrites();
    // Same bytes in, same value out: re-encoding it gives the original bytes back.
    assertThat(codec.encode("session", codec.decode(session))).isEqualTo(session);
    assertThat(codec.decode(codec.encode("cart", Samples.cart(3)))).isEqualTo(Samples.cart(3));
  }
}
