package org.buddygrid.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte buffer for the wire format: unsigned LEB128 varints, zig-zag signed longs,
 * length-prefixed UTF-8 strings and byte arrays. Not thread-safe; one per message being written.
 */
public final class WireOutput {
  private byte[] buf;
  private int pos;

  public WireOutput() {
    this(64);
  }

  public WireOutput(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    int needed = pos + extra;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length << 1));
    }
  }

  public WireOutput writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  public WireOutput writeBoolean(boolean b) {
    return writeByte(b ? 1 : 0);
  }

  /** An unsigned varint (1-5 bytes); {@code value} must not be negative. */
  public WireOutput writeVarInt(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + value);
    }
    ensure(5);
    while ((value & ~0x7F) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return this;
  }

  /** An unsigned varint of 64 bits (1-10 bytes); negative values take 10 bytes. */
  public WireOutput writeVarLong(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return this;
  }

  /** A signed long, zig-zag encoded so that small magnitudes take few bytes. */
  public WireOutput writeSignedVarLong(long value) {
    return writeVarLong((value << 1) ^ (value >> 63));
  }

  /** Eight bytes, big-endian (for hashes and other values without small magnitudes). */
  public WireOutput writeFixedLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** A non-null string as varint byte length + UTF-8. */
  public WireOutput writeString(String s) {
    Objects.requireNonNull(s, "s");
    int n = s.length();
    if (isAscii(s, n)) {
      writeVarInt(n);
      ensure(n);
      s.getBytes(0, n, buf, pos); // ASCII only: the deprecated method is exact and copies once
      pos += n;
      return this;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(utf8.length);
    return writeRaw(utf8, 0, utf8.length);
  }

  private static boolean isAscii(String s, int n) {
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** A string that may be null: varint (byte length + 1), 0 for null. */
  public WireOutput writeNullableString(String s) {
    if (s == null) {
      return writeVarInt(0);
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(utf8.length + 1);
    return writeRaw(utf8, 0, utf8.length);
  }

  /** A byte array as varint length + bytes. */
  public WireOutput writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  public WireOutput writeBytes(byte[] bytes, int off, int len) {
    writeVarInt(len);
    return writeRaw(bytes, off, len);
  }

  /** Bytes without a length prefix. */
  public WireOutput writeRaw(byte[] bytes, int off, int len) {
    Objects.checkFromIndexSize(off, len, bytes.length);
    ensure(len);
    System.arraycopy(bytes, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Bytes written so far. */
  public int size() {
    return pos;
  }

  /** The internal buffer; valid up to {@link #size()}, and only until the next write. */
  public byte[] array() {
    return buf;
  }

  /** A copy of the bytes written, exactly {@link #size()} long. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Forgets what was written, keeping the buffer. */
  public WireOutput reset() {
    pos = 0;
    return this;
  }
}
