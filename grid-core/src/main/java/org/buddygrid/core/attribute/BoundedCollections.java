package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Kryo's collection and map serializers with the length limits applied on both sides. Kryo's own
 * pre-size the collection from the length they read ({@code new ArrayList<>(length)}): these check
 * the length against the limit and the input left first.
 *
 * <p>A collection's capacity is taken from the input left, not from the claimed length: Kryo writes
 * a collection whose elements are all null without a byte per element, so its claimed length is
 * bounded by {@link CodecLimits#maxCollectionLength()} for all such collections of a value
 * together, and such a collection grows as it is filled instead of being allocated up front. A map
 * entry always takes bytes, so a map's length must fit in the input left.
 */
@SuppressWarnings({"rawtypes", "unchecked"}) // Kryo's collection serializers use raw types
final class BoundedCollections {
  private BoundedCollections() {}

  /** For {@link Collection}s without a more specific serializer. */
  static final class BoundedCollectionSerializer<T extends Collection>
      extends CollectionSerializer<T> {
    private final CodecLimits limits;

    BoundedCollectionSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, T collection) {
      if (collection != null) {
        Lengths.checkEncode(output, collection.size(), limits);
        if (!collection.isEmpty() && allNull(collection)) {
          countFreeNulls(kryo, output, collection.size());
        }
      }
      super.write(kryo, output, collection);
    }

    private static boolean allNull(Collection<?> collection) {
      for (Object e : collection) {
        if (e != null) {
          return false;
        }
      }
      return true;
    }

    /** Encoding: as decoding would count them, so that what encodes also decodes. */
    private void countFreeNulls(Kryo kryo, Output output, int nulls) {
      try {
        Lengths.countFreeNulls(kryo, nulls, limits);
      } catch (LimitExceededException exceeded) {
        if (!(output instanceof BoundedOutput)) {
          throw exceeded;
        }
        ((BoundedOutput) output).exceeded(exceeded);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      Lengths.checkLimit(size, limits);
      // Elements beyond the input left cannot take a byte each: they are nulls of an all-null
      // collection, counted for the whole value.
      Lengths.countFreeNulls(kryo, (long) size - Lengths.remaining(input), limits);
      int capacity = Math.min(size, Lengths.remaining(input));
      if (type == ArrayList.class) {
        return (T) new ArrayList<>(capacity);
      }
      if (type == HashSet.class) {
        return (T) new HashSet<>(Lengths.hashCapacity(capacity));
      }
      if (type == LinkedHashSet.class) {
        return (T) new LinkedHashSet<>(Lengths.hashCapacity(capacity));
      }
      if (type == ArrayDeque.class) {
        return (T) new ArrayDeque<>(capacity);
      }
      return kryo.newInstance(type);
    }
  }

  /** For {@link Map}s without a more specific serializer. */
  static final class BoundedMapSerializer<T extends Map> extends MapSerializer<T> {
    private final CodecLimits limits;

    BoundedMapSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, T map) {
      if (map != null) {
        Lengths.checkEncode(output, map.size(), limits);
      }
      super.write(kryo, output, map);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      Lengths.checkDecode(size, input, 1, limits);
      if (type == HashMap.class) {
        return (T) new HashMap<>(Lengths.hashCapacity(size));
      }
      if (type == LinkedHashMap.class) {
        return (T) new LinkedHashMap<>(Lengths.hashCapacity(size));
      }
      return kryo.newInstance(type);
    }
  }

  /** {@link TreeSet} and subclasses: the comparator travels with the elements. */
  static final class BoundedTreeSetSerializer extends TreeSetSerializer {
    private final CodecLimits limits;

    BoundedTreeSetSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, TreeSet set) {
      if (set != null) {
        Lengths.checkEncode(output, set.size(), limits);
      }
      super.write(kryo, output, set);
    }

    @Override
    protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
      Lengths.checkLimit(size, limits);
      return super.create(kryo, input, type, size);
    }
  }

  /** {@link PriorityQueue} and subclasses, pre-sized from the input left. */
  static final class BoundedPriorityQueueSerializer extends PriorityQueueSerializer {
    private final CodecLimits limits;

    BoundedPriorityQueueSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, PriorityQueue queue) {
      if (queue != null) {
        Lengths.checkEncode(output, queue.size(), limits);
      }
      super.write(kryo, output, queue);
    }

    @Override
    protected PriorityQueue create(
        Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
      Lengths.checkLimit(size, limits);
      return super.create(kryo, input, type, Math.min(size, Lengths.remaining(input)));
    }
  }

  /** {@link TreeMap} and subclasses: the comparator travels with the entries. */
  static final class BoundedTreeMapSerializer extends TreeMapSerializer {
    private final CodecLimits limits;

    BoundedTreeMapSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, TreeMap map) {
      if (map != null) {
        Lengths.checkEncode(output, map.size(), limits);
      }
      super.write(kryo, output, map);
    }

    @Override
    protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
      Lengths.checkDecode(size, input, 1, limits);
      return super.create(kryo, input, type, size);
    }
  }

  /** {@link ConcurrentSkipListMap} and subclasses: the comparator travels with the entries. */
  static final class BoundedSkipListMapSerializer extends ConcurrentSkipListMapSerializer {
    private final CodecLimits limits;

    BoundedSkipListMapSerializer(CodecLimits limits) {
      this.limits = limits;
    }

    @Override
    public void write(Kryo kryo, Output output, ConcurrentSkipListMap map) {
      if (map != null) {
        Lengths.checkEncode(output, map.size(), limits);
      }
      super.write(kryo, output, map);
    }

    @Override
    protected ConcurrentSkipListMap create(
        Kryo kryo, Input input, Class<? extends ConcurrentSkipListMap> type, int size) {
      Lengths.checkDecode(size, input, 1, limits);
      return super.create(kryo, input, type, size);
    }
  }
}
