package org.buddygrid.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void varintsRoundTripAtEveryBoundary() {
    int[] ints = {
      0,
      1,
      127,
      128,
      16383,
      16384,
      (1 << 21) - 1,
      1 << 21,
      (1 << 28) - 1,
      1 << 28,
      Integer.MAX_VALUE
    };
    long[] longs = {0, 1, 127, 128, Long.MAX_VALUE, -1, Long.MIN_VALUE, 1L << 62, (1L << 35) + 7};
    WireOutput out = new WireOutput(4);
    for (int v : ints) {
      out.writeVarInt(v);
    }
    for (long v : longs) {
      out.writeVarLong(v).writeSignedVarLong(v).writeFixedLong(v);
    }
    WireInput in = WireInput.of(out.toByteArray());
    for (int v : ints) {
      assertThat(in.readVarInt()).isEqualTo(v);
    }
    for (long v : longs) {
      assertThat(in.readVarLong()).isEqualTo(v);
      assertThat(in.readSignedVarLong()).isEqualTo(v);
      assertThat(in.readFixedLong()).isEqualTo(v);
    }
    in.requireEnd();
  }

  @Test
  void smallValuesAreSmallOnTheWire() {
    assertThat(new WireOutput().writeVarInt(127).size()).isEqualTo(1);
    assertThat(new WireOutput().writeVarInt(128).size()).isEqualTo(2);
    assertThat(new WireOutput().writeSignedVarLong(-1).size()).isEqualTo(1);
    assertThat(new WireOutput().writeString("node1").size()).isEqualTo(6);
  }

  @Test
  void stringsBytesAndNullsRoundTrip() {
    WireOutput out = new WireOutput();
    out.writeString("")
        .writeString("ascii")
        .writeString("grüße, 世界 \uD83D\uDE00")
        .writeNullableString(null)
        .writeNullableString("x")
        .writeBytes(new byte[] {1, 2, 3})
        .writeBoolean(true)
        .writeBoolean(false);
    WireInput in = WireInput.of(out.toByteArray());
    assertThat(in.readString(100)).isEmpty();
    assertThat(in.readString(100)).isEqualTo("ascii");
    assertThat(in.readString(100)).isEqualTo("grüße, 世界 \uD83D\uDE00");
    assertThat(in.readNullableString(10)).isNull();
    assertThat(in.readNullableString(10)).isEqualTo("x");
    assertThat(in.readBytes(10)).containsExactly(1, 2, 3);
    assertThat(in.readBoolean()).isTrue();
    assertThat(in.readBoolean()).isFalse();
    assertThat(in.remaining()).isZero();
  }

  @Test
  void negativeVarIntIsAProgrammingError() {
    assertThatThrownBy(() -> new WireOutput().writeVarInt(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatedInputIsRefusedByKind() {
    byte[] bytes = new WireOutput().writeString("hello").toByteArray();
    WireInput in = WireInput.of(bytes, 0, 3);
    assertThatThrownBy(() -> in.readString(100))
        .isInstanceOf(MalformedMessageException.class)
        .extracting(e -> ((MalformedMessageException) e).kind())
        .isEqualTo("truncated");
  }

  @Test
  void overlongVarintIsRefused() {
    byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertThatThrownBy(() -> WireInput.of(six).readVarInt()).hasMessageContaining("varint");
    byte[] over31 = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertThatThrownBy(() -> WireInput.of(over31).readVarInt())
        .isInstanceOf(MalformedMessageException.class);
    byte[] elevenBytes = new byte[11];
    java.util.Arrays.fill(elevenBytes, (byte) 0xFF);
    assertThatThrownBy(() -> WireInput.of(elevenBytes).readVarLong())
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void lengthBombsAreRefusedBeforeAllocating() {
    // A 6-byte input that claims 2^31-1 bytes / elements.
    byte[] bomb = new WireOutput().writeVarInt(Integer.MAX_VALUE).writeByte(1).toByteArray();
    assertThat(bomb).hasSizeLessThanOrEqualTo(6);
    assertThatThrownBy(() -> WireInput.of(bomb).readBytes(Integer.MAX_VALUE))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> WireInput.of(bomb).readString(Integer.MAX_VALUE))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> WireInput.of(bomb).readCount(Integer.MAX_VALUE, 1))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> WireInput.of(bomb).readCount(1000, 1))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("over the limit");
  }

  @Test
  void invalidUtf8AndBadBooleansAreRefused() {
    byte[] badUtf8 = {2, (byte) 0xC3, (byte) 0x28};
    assertThatThrownBy(() -> WireInput.of(badUtf8).readString(10))
        .extracting(e -> ((MalformedMessageException) e).kind())
        .isEqualTo("bad-utf8");
    assertThatThrownBy(() -> WireInput.of(new byte[] {2}).readBoolean())
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void trailingBytesAreRefused() {
    WireInput in = WireInput.of(new byte[] {1, 2});
    in.readByte();
    assertThatThrownBy(in::requireEnd)
        .extracting(e -> ((MalformedMessageException) e).kind())
        .isEqualTo("trailing-bytes");
  }

  @Test
  void randomBytesNeverThrowAnythingButMalformed() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(24)];
      random.nextBytes(bytes);
      WireInput in = WireInput.of(bytes);
      try {
        switch (i % 6) {
          case 0 -> in.readString(64);
          case 1 -> in.readBytes(64);
          case 2 -> in.readCount(1000, 2);
          case 3 -> in.readVarLong();
          case 4 -> in.readNullableString(8);
          default -> in.readSignedVarLong();
        }
      } catch (MalformedMessageException expected) {
        assertThat(expected.kind()).isNotBlank();
      }
    }
  }
}
