package org.buddygrid.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.buddygrid.core.Member;
import org.buddygrid.core.internal.CoreMessages.ErrorReply;
import org.buddygrid.core.internal.CoreMessages.Hello;
import org.buddygrid.core.internal.CoreMessages.NullReply;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.junit.jupiter.api.Test;

class CoreMessagesTest {
  private final WireCatalog catalog = CoreMessages.catalog();
  private final List<Object> samples =
      List.of(
          new Hello(new Member("node1", "host-a.example", "r1", "eu-west-1a")),
          new Hello(Member.of("n")),
          new ErrorReply("IllegalStateException", "cannot do that: ünïcode"),
          NullReply.INSTANCE);

  @Test
  void everyCoreMessageRoundTrips() {
    for (Object m : samples) {
      assertThat(catalog.decode(catalog.encode(m))).isEqualTo(m);
    }
  }

  @Test
  void longErrorTextsAreCutNotRefused() {
    ErrorReply huge = new ErrorReply("K", "x".repeat(100_000));
    ErrorReply back = (ErrorReply) catalog.decode(catalog.encode(huge));
    assertThat(back.message()).hasSize(4096);
  }

  @Test
  void truncatedBitFlippedAndRandomFramesNeverThrowAnythingButMalformed() {
    Random random = new Random(2024);
    int decoded = 0;
    int refused = 0;
    for (Object m : samples) {
      byte[] frame = catalog.encode(m);
      for (int cut = 0; cut < frame.length; cut++) {
        try {
          catalog.decode(frame, 0, cut);
          decoded++;
        } catch (MalformedMessageException e) {
          refused++;
        }
      }
      for (int i = 0; i < 5_000; i++) {
        byte[] copy = frame.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        try {
          Object value = catalog.decode(copy);
          assertThat(value).isNotNull();
          decoded++;
        } catch (MalformedMessageException e) {
          refused++;
        }
      }
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = WireCatalog.FORMAT_VERSION;
      }
      try {
        catalog.decode(bytes);
        decoded++;
      } catch (MalformedMessageException e) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(1000);
    assertThat(decoded + refused).isGreaterThan(40_000);
  }
}
