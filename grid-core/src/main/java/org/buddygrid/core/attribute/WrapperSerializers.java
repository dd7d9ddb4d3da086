package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code Collections.unmodifiable*} and {@code Collections.synchronized*} wrappers. Kryo fails
 * on them by default (it instantiates the wrapper without its backing collection), and their
 * backing collection is a private field of {@code java.util} that Java 17 does not let us read
 * without {@code --add-opens}. So a wrapper is written through its public API, as its comparator
 * (sorted kinds) and a snapshot of its elements, and read back as the same wrapper around a backing
 * collection of the natural kind for it: an {@code ArrayList} for random-access lists and plain
 * collections, a {@code LinkedList} for other lists, a {@code LinkedHashSet}/{@code LinkedHashMap}
 * (which keep the iteration order) for sets and maps, a {@code TreeSet}/{@code TreeMap} with the
 * same comparator for sorted ones. The result is equal to the original, of the same wrapper class,
 * and still unmodifiable (or synchronized); the class of the backing collection may differ from the
 * original's.
 */
final class WrapperSerializers {
  private WrapperSerializers() {}

  /** What is under a wrapper: how to make it, and how to wrap it. */
  enum Shape {
    COLLECTION(false),
    LIST(false),
    RANDOM_ACCESS_LIST(false),
    SET(false),
    SORTED_SET(true),
    NAVIGABLE_SET(true),
    MAP(false),
    SORTED_MAP(true),
    NAVIGABLE_MAP(true);

    final boolean sorted;

    Shape(boolean sorted) {
      this.sorted = sorted;
    }

    /** A backing collection or map for {@code size} elements, empty. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object newBacking(int size, Comparator<Object> comparator) {
      switch (this) {
        case COLLECTION:
        case RANDOM_ACCESS_LIST:
          return new ArrayList<>(size);
        case LIST:
          return new LinkedList<>();
        case SET:
          return new LinkedHashSet<>(Lengths.hashCapacity(size));
        case SORTED_SET:
        case NAVIGABLE_SET:
          return new TreeSet<>(comparator);
        case MAP:
          return new LinkedHashMap<>(Lengths.hashCapacity(size));
        default:
          return new TreeMap<>(comparator);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object unmodifiable(Object backing) {
      switch (this) {
        case COLLECTION:
          return Collections.unmodifiableCollection((Collection) backing);
        case LIST:
        case RANDOM_ACCESS_LIST:
          return Collections.unmodifiableList((java.util.List) backing);
        case SET:
          return Collections.unmodifiableSet((java.util.Set) backing);
        case SORTED_SET:
          return Collections.unmodifiableSortedSet((SortedSet) backing);
        case NAVIGABLE_SET:
          return Collections.unmodifiableNavigableSet((NavigableSet) backing);
        case MAP:
          return Collections.unmodifiableMap((Map) backing);
        case SORTED_MAP:
          return Collections.unmodifiableSortedMap((SortedMap) backing);
        default:
          return Collections.unmodifiableNavigableMap((NavigableMap) backing);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object synchronizedView(Object backing) {
      switch (this) {
        case COLLECTION:
          return Collections.synchronizedCollection((Collection) backing);
        case LIST:
        case RANDOM_ACCESS_LIST:
          return Collections.synchronizedList((java.util.List) backing);
        case SET:
          return Collections.synchronizedSet((java.util.Set) backing);
        case SORTED_SET:
          return Collections.synchronizedSortedSet((SortedSet) backing);
        case NAVIGABLE_SET:
          return Collections.synchronizedNavigableSet((NavigableSet) backing);
        case MAP:
          return Collections.synchronizedMap((Map) backing);
        case SORTED_MAP:
          return Collections.synchronizedSortedMap((SortedMap) backing);
        default:
          return Collections.synchronizedNavigableMap((NavigableMap) backing);
      }
    }

    boolean isMap() {
      return this == MAP || this == SORTED_MAP || this == NAVIGABLE_MAP;
    }

    /** The class of this shape's unmodifiable or synchronized wrapper. */
    Class<?> wrapperClass(boolean synchronizedWrapper) {
      Object backing = newBacking(0, null);
      return (synchronizedWrapper ? synchronizedView(backing) : unmodifiable(backing)).getClass();
    }
  }

  /** A serializer for the unmodifiable or synchronized wrapper of this shape. */
  static Serializer<Object> of(Shape shape, boolean synchronizedWrapper, CodecLimits limits) {
    Function<Object, Object> wrap =
        synchronizedWrapper ? shape::synchronizedView : shape::unmodifiable;
    return shape.isMap()
        ? new MapWrapperSerializer(shape, wrap, limits)
        : new CollectionWrapperSerializer(shape, wrap, limits);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<Object> comparatorOf(Object sorted) {
    return sorted instanceof SortedSet
        ? ((SortedSet) sorted).comparator()
        : ((SortedMap) sorted).comparator();
  }

  private static final class CollectionWrapperSerializer extends Serializer<Object> {
    private final Shape shape;
    private final Function<Object, Object> wrap;
    private final CodecLimits limits;

    CollectionWrapperSerializer(Shape shape, Function<Object, Object> wrap, CodecLimits limits) {
      this.shape = shape;
      this.wrap = wrap;
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, Object wrapper) {
      if (shape.sorted) {
        kryo.writeClassAndObject(output, comparatorOf(wrapper));
      }
      // toArray is atomic on a synchronized wrapper: length and elements agree.
      Object[] elements = ((Collection<?>) wrapper).toArray();
      Lengths.checkEncode(output, elements.length, limits);
      output.writeVarInt(elements.length, true);
      for (Object element : elements) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object read(Kryo kryo, Input input, Class<?> type) {
      Comparator<Object> comparator =
          shape.sorted ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
      int length = input.readVarInt(true);
      Lengths.checkDecode(length, input, 1, limits);
      Collection<Object> backing = (Collection<Object>) shape.newBacking(length, comparator);
      Object wrapper = wrap.apply(backing);
      kryo.reference(wrapper);
      for (int i = 0; i < length; i++) {
        backing.add(kryo.readClassAndObject(input));
      }
      return wrapper;
    }
  }

  private static final class MapWrapperSerializer extends Serializer<Object> {
    private final Shape shape;
    private final Function<Object, Object> wrap;
    private final CodecLimits limits;

    MapWrapperSerializer(Shape shape, Function<Object, Object> wrap, CodecLimits limits) {
      this.shape = shape;
      this.wrap = wrap;
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, Object wrapper) {
      if (shape.sorted) {
        kryo.writeClassAndObject(output, comparatorOf(wrapper));
      }
      // entrySet().toArray() is atomic on a synchronized wrapper: length and entries agree.
      Object[] entries = ((Map<?, ?>) wrapper).entrySet().toArray();
      Lengths.checkEncode(output, entries.length, limits);
      output.writeVarInt(entries.length, true);
      for (Object entry : entries) {
        kryo.writeClassAndObject(output, ((Map.Entry<?, ?>) entry).getKey());
        kryo.writeClassAndObject(output, ((Map.Entry<?, ?>) entry).getValue());
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object read(Kryo kryo, Input input, Class<?> type) {
      Comparator<Object> comparator =
          shape.sorted ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
      int length = input.readVarInt(true);
      Lengths.checkDecode(length, input, 2, limits);
      Map<Object, Object> backing = (Map<Object, Object>) shape.newBacking(length, comparator);
      Object wrapper = wrap.apply(backing);
      kryo.reference(wrapper);
      for (int i = 0; i < length; i++) {
        Object key = kryo.readClassAndObject(input);
        backing.put(key, kryo.readClassAndObject(input));
      }
      return wrapper;
    }
  }
}
