package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * JDK collections that cannot be filled one element at a time after construction ({@code List.of},
 * {@code Set.of}, {@code Map.of}, {@code Arrays.asList}) or that should not be ({@link
 * CopyOnWriteArrayList}, which copies itself on every add). Each is written as its length and
 * elements with their classes, read into an array checked against the limits and the input left,
 * and built from that array in one step.
 */
final class JdkCollectionSerializers {
  private JdkCollectionSerializers() {}

  /** Lists and sets built from an array of their elements. */
  static final class ArrayBuiltSerializer<T extends Collection<?>> extends Serializer<T> {
    private final Function<Object[], T> build;
    private final CodecLimits limits;

    ArrayBuiltSerializer(Function<Object[], T> build, CodecLimits limits) {
      this.build = build;
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, T collection) {
      // A snapshot: length and elements agree even if the collection is being changed.
      Object[] elements = collection.toArray();
      Lengths.checkEncode(output, elements.length, limits);
      output.writeVarInt(elements.length, true);
      for (Object element : elements) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      int length = input.readVarInt(true);
      Lengths.checkDecode(length, input, 1, limits);
      Object[] elements = new Object[length];
      for (int i = 0; i < length; i++) {
        elements[i] = kryo.readClassAndObject(input);
      }
      return build.apply(elements);
    }
  }

  /** {@code List.of} and {@code Stream.toList()} lists; the latter may hold nulls. */
  static ArrayBuiltSerializer<List<Object>> immutableList(CodecLimits limits) {
    return new ArrayBuiltSerializer<>(
        elements -> containsNull(elements) ? Arrays.stream(elements).toList() : List.of(elements),
        limits);
  }

  /** {@code Set.of} sets; duplicate or null elements are refused as malformed. */
  static ArrayBuiltSerializer<Set<Object>> immutableSet(CodecLimits limits) {
    return new ArrayBuiltSerializer<>(Set::of, limits);
  }

  /** {@code Arrays.asList} lists: fixed size, elements settable. */
  static ArrayBuiltSerializer<List<Object>> arraysAsList(CodecLimits limits) {
    return new ArrayBuiltSerializer<>(Arrays::asList, limits);
  }

  static ArrayBuiltSerializer<CopyOnWriteArrayList<Object>> copyOnWriteList(CodecLimits limits) {
    return new ArrayBuiltSerializer<>(CopyOnWriteArrayList::new, limits);
  }

  private static boolean containsNull(Object[] elements) {
    for (Object element : elements) {
      if (element == null) {
        return true;
      }
    }
    return false;
  }

  /** {@code Map.of} maps; duplicate or null keys and null values are refused as malformed. */
  static final class ImmutableMapSerializer extends Serializer<Map<Object, Object>> {
    private final CodecLimits limits;

    ImmutableMapSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      Lengths.checkEncode(output, map.size(), limits);
      output.writeVarInt(map.size(), true);
      for (Map.Entry<Object, Object> entry : map.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<Object, Object> read(
        Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int length = input.readVarInt(true);
      Lengths.checkDecode(length, input, 2, limits);
      Map.Entry<Object, Object>[] entries = new Map.Entry[length];
      for (int i = 0; i < length; i++) {
        Object key = kryo.readClassAndObject(input);
        entries[i] = Map.entry(key, kryo.readClassAndObject(input));
      }
      return Map.ofEntries(entries);
    }
  }
}
