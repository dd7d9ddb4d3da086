package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.buddygrid.core.attribute.LimitExceededException.Limit;

/** Length checks shared by the serializers: against the limits, and against the input left. */
final class Lengths {
  private Lengths() {}

  /**
   * Encoding: notes a collection, map or array of more elements than the limit. The output keeps
   * the first such note and encoding goes on, so that a value that is also over the size limit is
   * reported as too large, the limit people meet first.
   */
  static void checkEncode(Output output, int length, CodecLimits limits) {
    if (length > limits.maxCollectionLength()) {
      LimitExceededException exceeded =
          new LimitExceededException(Limit.COLLECTION_LENGTH, length, limits.maxCollectionLength());
      if (!(output instanceof BoundedOutput)) {
        throw exceeded;
      }
      ((BoundedOutput) output).exceeded(exceeded);
    }
  }

  /** Decoding: refuses a negative length or one over the limit. */
  static void checkLimit(int length, CodecLimits limits) {
    if (length < 0) {
      throw new KryoException("Negative length: " + length);
    }
    if (length > limits.maxCollectionLength()) {
      throw new LimitExceededException(
          Limit.COLLECTION_LENGTH, length, limits.maxCollectionLength());
    }
  }

  /**
   * Decoding: refuses a negative length, one over the limit, or one that the input left cannot hold
   * when each element takes at least {@code minBytes}; called before allocating for it.
   */
  static void checkDecode(int length, Input input, int minBytes, CodecLimits limits) {
    checkLimit(length, limits);
    checkRemaining(length, input, minBytes);
  }

  /**
   * Decoding: refuses a length whose elements of at least {@code minBytes} the input can't hold.
   */
  static void checkRemaining(int length, Input input, int minBytes) {
    if (length < 0) {
      throw new KryoException("Negative length: " + length);
    }
    int remaining = remaining(input);
    if ((long) length * minBytes > remaining) {
      throw new KryoException(
          "Input claims " + length + " elements but only " + remaining + " bytes remain");
    }
  }

  /** Bytes left in an array-backed input. */
  static int remaining(Input input) {
    return input.limit() - input.position();
  }

  /** An initial capacity for a hash table that will hold {@code size} entries without resizing. */
  static int hashCapacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f + 1.0f);
  }
}
