package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import org.buddygrid.core.attribute.LimitExceededException.Limit;

/**
 * An array-backed Kryo input that checks every length it is asked to allocate for, strings and
 * primitive arrays, against the limits and against the bytes it has left, before allocating. Stock
 * {@link Input} trusts the lengths it reads: seven bytes claiming a string of two billion
 * characters make it allocate 4 GB.
 */
final class BoundedInput extends Input {
  /** The longest class name read; the longest real ones are a few hundred characters. */
  static final int MAX_CLASS_NAME_LENGTH = 1024;

  private static final byte[] EMPTY = new byte[0];
  private static final int RETAINED_CHARS = 16 * 1024;

  private final int maxStringLength;

  BoundedInput(int maxStringLength) {
    super(EMPTY);
    this.maxStringLength = maxStringLength;
  }

  /** Drops the reference to the caller's bytes and any large scratch buffer. */
  void release() {
    setBuffer(EMPTY);
    if (chars.length > RETAINED_CHARS) {
      chars = new char[32];
    }
  }

  @Override
  public String readString() {
    checkString(maxStringLength, Limit.STRING_LENGTH);
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkString(maxStringLength, Limit.STRING_LENGTH);
    return super.readStringBuilder();
  }

  /** Reads a class name, refusing one longer than {@link #MAX_CLASS_NAME_LENGTH}. */
  String readClassName() {
    checkString(MAX_CLASS_NAME_LENGTH, Limit.CLASS_NAME_LENGTH);
    return super.readString();
  }

  /**
   * Checks the string at the current position without moving it. Kryo writes a string either as
   * ASCII bytes whose last byte has its high bit set, or as a varint flag (high bit of the first
   * byte set) holding the character count plus one (0 is null), then at least one byte per
   * character.
   */
  private void checkString(int max, Limit limit) {
    if (position == this.limit) {
      throw new KryoBufferUnderflowException("Buffer underflow.");
    }
    int start = position;
    if ((buffer[start] & 0x80) == 0) {
      if (this.limit - start <= max) {
        return; // an ASCII string is no longer than the input left: nothing to allocate for
      }
      long end = Math.min(this.limit, (long) start + max);
      for (int p = start; p < end; p++) {
        if (buffer[p] < 0) {
          return;
        }
      }
      if (end == this.limit) {
        throw new KryoBufferUnderflowException("Unterminated string at the end of the input");
      }
      throw new LimitExceededException(limit, -1, max);
    }
    int charCount = readVarIntFlag(true);
    int remaining = this.limit - position;
    position = start;
    if (charCount < 0) {
      throw new KryoException("Negative string length: " + charCount);
    }
    if (charCount > 1) {
      int length = charCount - 1;
      if (length > max) {
        throw new LimitExceededException(limit, length, max);
      }
      if (length > remaining) {
        throw new KryoException(
            "Input claims a string of "
                + length
                + " characters but only "
                + remaining
                + " bytes remain");
      }
    }
  }

  private void checkArray(int length, int minBytes) {
    Lengths.checkRemaining(length, this, minBytes);
  }

  @Override
  public byte[] readBytes(int length) {
    checkArray(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkArray(length, 4);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkArray(length, varEncoding ? 1 : 4);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkArray(length, 8);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkArray(length, varEncoding ? 1 : 8);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkArray(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkArray(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkArray(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkArray(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkArray(length, 1);
    return super.readBooleans(length);
  }
}
