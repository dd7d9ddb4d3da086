package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;

/**
 * Wraps one of Kryo's array serializers, which all start with the length plus one as a varint (0
 * for null) and then allocate the array from it: this one reads the length ahead, checks it against
 * the limit and the input left, and only then lets the wrapped serializer allocate.
 */
final class CheckedArraySerializer<T> extends Serializer<T> {
  private final Serializer<T> delegate;
  private final int minBytesPerElement;
  private final CodecLimits limits;

  CheckedArraySerializer(Serializer<T> delegate, int minBytesPerElement, CodecLimits limits) {
    super(delegate.getAcceptsNull(), delegate.isImmutable());
    this.delegate = delegate;
    this.minBytesPerElement = minBytesPerElement;
    this.limits = limits;
  }

  @Override
  public void write(Kryo kryo, Output output, T array) {
    if (array != null) {
      Lengths.checkEncode(output, Array.getLength(array), limits);
    }
    delegate.write(kryo, output, array);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    int start = input.position();
    int lengthPlusOne = input.readVarInt(true);
    if (lengthPlusOne != 0) {
      Lengths.checkDecode(lengthPlusOne - 1, input, minBytesPerElement, limits);
    }
    input.setPosition(start);
    return delegate.read(kryo, input, type);
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return delegate.copy(kryo, original);
  }
}
