package org.buddygrid.core.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads the wire format from a byte range, refusing anything malformed with a {@link
 * MalformedMessageException}: reads past the end, varints longer than their type, lengths beyond a
 * cap or beyond the bytes that remain (checked before anything is allocated), invalid UTF-8. Not
 * thread-safe.
 */
public final class WireInput {
  private final byte[] buf;
  private final int limit;
  private int pos;

  private WireInput(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    this.buf = buf;
    this.pos = off;
    this.limit = off + len;
  }

  public static WireInput of(byte[] bytes) {
    return new WireInput(bytes, 0, bytes.length);
  }

  public static WireInput of(byte[] bytes, int off, int len) {
    return new WireInput(bytes, off, len);
  }

  /** Bytes not yet read. */
  public int remaining() {
    return limit - pos;
  }

  private void require(int n) {
    if (n > limit - pos) {
      throw new MalformedMessageException(
          "truncated", "message truncated: needs " + n + " more bytes, " + (limit - pos) + " left");
    }
  }

  public byte readByte() {
    require(1);
    return buf[pos++];
  }

  /** A boolean written as 0 or 1; any other byte is malformed. */
  public boolean readBoolean() {
    byte b = readByte();
    if (b == 0) {
      return false;
    }
    if (b == 1) {
      return true;
    }
    throw new MalformedMessageException("invalid-value", "boolean byte must be 0 or 1, was " + b);
  }

  /** An unsigned varint that must fit a non-negative {@code int}. */
  public int readVarInt() {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = readByte();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (shift == 28 && (b & 0x78) != 0) {
          break; // more than 31 bits
        }
        return result;
      }
    }
    throw new MalformedMessageException("bad-varint", "varint does not fit a non-negative int");
  }

  /** An unsigned varint of up to 64 bits. */
  public long readVarLong() {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      byte b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (shift == 63 && (b & 0x7E) != 0) {
          break;
        }
        return result;
      }
    }
    throw new MalformedMessageException("bad-varint", "varint does not fit 64 bits");
  }

  /** A zig-zag encoded signed long. */
  public long readSignedVarLong() {
    long raw = readVarLong();
    return (raw >>> 1) ^ -(raw & 1);
  }

  public long readFixedLong() {
    require(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  /**
   * A count of elements that follow, each at least {@code minElementBytes} long: refused if over
   * {@code max} or if the remaining input cannot hold that many elements.
   */
  public int readCount(int max, int minElementBytes) {
    int n = readVarInt();
    if (n > max) {
      throw new MalformedMessageException("too-long", "count " + n + " is over the limit " + max);
    }
    if ((long) n * Math.max(1, minElementBytes) > remaining()) {
      throw new MalformedMessageException(
          "truncated", "count " + n + " cannot fit in the " + remaining() + " bytes left");
    }
    return n;
  }

  /** A length-prefixed UTF-8 string of at most {@code maxBytes} bytes. */
  public String readString(int maxBytes) {
    int n = readVarInt();
    return utf8(n, maxBytes);
  }

  /** A string written with {@link WireOutput#writeNullableString}. */
  public String readNullableString(int maxBytes) {
    int n = readVarInt();
    if (n == 0) {
      return null;
    }
    return utf8(n - 1, maxBytes);
  }

  private String utf8(int n, int maxBytes) {
    if (n > maxBytes) {
      throw new MalformedMessageException(
          "too-long", "string of " + n + " bytes is over the limit " + maxBytes);
    }
    require(n);
    if (isAscii(pos, n)) {
      String ascii = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
      pos += n;
      return ascii;
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(buf, pos, n))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("bad-utf8", "string is not valid UTF-8");
    }
    pos += n;
    return s;
  }

  private boolean isAscii(int from, int n) {
    for (int i = from, end = from + n; i < end; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** A length-prefixed byte array of at most {@code maxBytes} bytes. */
  public byte[] readBytes(int maxBytes) {
    int n = readVarInt();
    if (n > maxBytes) {
      throw new MalformedMessageException(
          "too-long", "byte array of " + n + " bytes is over the limit " + maxBytes);
    }
    require(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Refuses trailing bytes: a message must be consumed exactly. */
  public void requireEnd() {
    if (pos != limit) {
      throw new MalformedMessageException(
          "trailing-bytes", (limit - pos) + " unexpected bytes after the end of the message");
    }
  }
}
