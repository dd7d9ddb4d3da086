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
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
@SuppressWarnings({"unchecked", "rawtypes"})
final class WrapperSerializers {
  private WrapperSerializers() {}

  /** What is under a wrapper: how to make it, and how to wrap it. */
  enum Shape {
    COLLECTION(
        false,
        c -> Collections.unmodifiableCollection((Collection) c),
        c -> Collections.synchronizedCollection((Collection) c)),
    LIST(
        false,
        c -> Collections.unmodifiableList((List) c),
        c -> Collections.synchronizedList((List) c)),
    RANDOM_ACCESS_LIST(
        false,
        c -> Collections.unmodifiableList((List) c),
        c -> Collections.synchronizedList((List) c)),
    SET(
        false,
        c -> Collections.unmodifiableSet((Set) c),
        c -> Collections.synchronizedSet((Set) c)),
    SORTED_SET(
        true,
        c -> Collections.unmodifiableSortedSet((SortedSet) c),
        c -> Collections.synchronizedSortedSet((SortedSet) c)),
    NAVIGABLE_SET(
        true,
        c -> Collections.unmodifiableNavigableSet((NavigableSet) c),
        c -> Collections.synchronizedNavigableSet((NavigableSet) c)),
    MAP(
        false,
        c -> Collections.unmodifiableMap((Map) c),
        c -> Collections.synchronizedMap((Map) c)),
    SORTED_MAP(
        true,
        c -> Collections.unmodifiableSortedMap((SortedMap) c),
        c -> Collections.synchronizedSortedMap((SortedMap) c)),
    NAVIGABLE_MAP(
        true,
        c -> Collections.unmodifiableNavigableMap((NavigableMap) c),
        c -> Collections.synchronizedNavigableMap((NavigableMap) c));

    final boolean sorted;
    private final UnaryOperator<Object> unmodifiable;
    private final UnaryOperator<Object> synchronizedView;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Shape(
        boolean sorted,
        UnaryOperator<Object> unmodifiable,
        UnaryOperator<Object> synchronizedView) {
      this.sorted = sorted;
      this.unmodifiable = unmodifiable;
      this.synchronizedView = synchronizedView;
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

    Object unmodifiable(Object backing) {
      return unmodifiable.apply(backing);
    }

    Object synchronizedView(Object backing) {
      return synchronizedView.apply(backing);
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
