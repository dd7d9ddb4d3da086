package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.ObjectMap;
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

  /** The graph-context key of the count of null elements that took no byte, per value. */
  private static final Object FREE_NULLS = new Object();

  /**
   * Counts {@code nulls} elements that take no byte of their own (Kryo writes a collection whose
   * elements are all null as its length and a flag) against {@link
   * CodecLimits#maxCollectionLength()} for the whole value, not per collection: otherwise a value
   * of many small collections of nulls (three bytes each) decodes to a million references per
   * collection. Kryo clears the graph context after each top-level value.
   */
  static void countFreeNulls(Kryo kryo, long nulls, CodecLimits limits) {
    if (nulls <= 0) {
      return;
    }
    ObjectMap<Object, Object> context = kryo.getGraphContext();
    Long before = (Long) context.get(FREE_NULLS);
    long total = (before == null ? 0 : before) + nulls;
    if (total > limits.maxCollectionLength()) {
      throw new LimitExceededException(Limit.NULL_ELEMENTS, total, limits.maxCollectionLength());
    }
    context.put(FREE_NULLS, total);
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
