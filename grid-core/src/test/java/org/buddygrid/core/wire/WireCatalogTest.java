package org.buddygrid.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireCatalogTest {
  record Point(int x, long y, String label, List<String> tags) {
    Point {
      if (x < 0) {
        throw new IllegalArgumentException("x must not be negative");
      }
    }
  }

  static final WireCodec<Point> POINT =
      new WireCodec<>() {
        @Override
        public void write(Point p, WireOutput out) {
          out.writeVarInt(p.x())
              .writeSignedVarLong(p.y())
              .writeString(p.label())
              .writeVarInt(p.tags().size());
          p.tags().forEach(out::writeString);
        }

        @Override
        public Point read(WireInput in) {
          int x = in.readVarInt();
          long y = in.readSignedVarLong();
          String label = in.readString(100);
          int n = in.readCount(16, 1);
          String[] tags = new String[n];
          for (int i = 0; i < n; i++) {
            tags[i] = in.readString(20);
          }
          return new Point(x, y, label, List.of(tags));
        }
      };

  static final WireCatalog CATALOG = WireCatalog.builder().add(16, Point.class, POINT).build();

  @Test
  void framesRoundTrip() {
    Point p = new Point(7, -3, "p", List.of("a", "b"));
    byte[] frame = CATALOG.encode(p);
    assertThat(frame[0]).isEqualTo(WireCatalog.FORMAT_VERSION);
    assertThat(CATALOG.decode(frame)).isEqualTo(p);
  }

  @Test
  void anotherFormatVersionIsRefusedWithAMessageThatSaysWhatToDo() {
    byte[] frame = CATALOG.encode(new Point(1, 1, "x", List.of()));
    frame[0] = 9;
    assertThatThrownBy(() -> CATALOG.decode(frame))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("run the same BuddyGrid version on every node");
  }

  @Test
  void unknownTypeAndTrailingBytesAreRefused() {
    byte[] unknown = {WireCatalog.FORMAT_VERSION, 99};
    assertThatThrownBy(() -> CATALOG.decode(unknown))
        .extracting(e -> ((MalformedMessageException) e).kind())
        .isEqualTo("unknown-type");
    byte[] frame = CATALOG.encode(new Point(1, 1, "x", List.of()));
    byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 1);
    assertThatThrownBy(() -> CATALOG.decode(longer))
        .extracting(e -> ((MalformedMessageException) e).kind())
        .isEqualTo("trailing-bytes");
  }

  @Test
  void aValueTheTypeRefusesIsMalformedInput() {
    WireOutput out = new WireOutput();
    out.writeByte(WireCatalog.FORMAT_VERSION).writeVarInt(16);
    // x is written as a varint, so it cannot be negative; forge a type whose constructor refuses.
    WireCatalog strict =
        WireCatalog.builder()
            .add(
                16,
                Point.class,
                new WireCodec<>() {
                  @Override
                  public void write(Point p, WireOutput o) {}

                  @Override
                  public Point read(WireInput in) {
                    return new Point(-1, 0, "", List.of());
                  }
                })
            .build();
    assertThatThrownBy(() -> strict.decode(out.toByteArray()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("x must not be negative");
  }

  @Test
  void registrationRefusesDuplicatesAndUnknownTypesAtEncode() {
    assertThatThrownBy(
            () -> WireCatalog.builder().add(16, Point.class, POINT).add(16, String.class, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> WireCatalog.builder().add(16, Point.class, POINT).add(17, Point.class, POINT))
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> CATALOG.encode("not registered"))
        .hasMessageContaining("register it in the WireCatalog");
  }

  @Test
  void truncatedAndBitFlippedFramesAreRefusedOrDecodeCleanly() {
    Random random = new Random(7);
    byte[] frame =
        CATALOG.encode(new Point(300, -123456789, "a label", List.of("one", "two", "three")));
    int refused = 0;
    for (int cut = 0; cut < frame.length; cut++) {
      try {
        CATALOG.decode(frame, 0, cut);
      } catch (MalformedMessageException e) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(frame.length);
    for (int i = 0; i < 10_000; i++) {
      byte[] copy = frame.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        Object decoded = CATALOG.decode(copy);
        assertThat(decoded).isInstanceOf(Point.class);
      } catch (MalformedMessageException expected) {
        // refused, as it should be
      }
    }
  }
}
