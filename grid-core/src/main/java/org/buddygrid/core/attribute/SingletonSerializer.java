package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;

/** A JDK singleton (such as {@code Collections.reverseOrder()}): no bytes, the same instance. */
final class SingletonSerializer<T> extends ImmutableSerializer<T> {
  private final T instance;

  SingletonSerializer(T instance) {
    this.instance = instance;
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {}

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    return instance;
  }
}
