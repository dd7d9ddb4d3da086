package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ByteArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.CharArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.DoubleArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.FloatArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.IntArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.LongArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ShortArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicBooleanSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicIntegerSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicLongSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.BigDecimalSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.BigIntegerSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptySetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CurrencySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.DateSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.DurationSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.InstantSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.LocalDateSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.LocalDateTimeSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.LocalTimeSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.MonthDaySerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.OffsetDateTimeSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.OffsetTimeSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.PeriodSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.YearMonthSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.YearSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.ZoneIdSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.ZoneOffsetSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers.ZonedDateTimeSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.buddygrid.core.attribute.BoundedCollections.BoundedCollectionSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedSkipListMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedTreeMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedTreeSetSerializer;
import org.buddygrid.core.attribute.WrapperSerializers.Shape;

/**
 * The JDK classes every {@link ClassPolicy} allows, each registered under a fixed id with a
 * serializer that enforces the limits.
 *
 * <p>The ids are part of the encoded format: a value encoded on one node is decoded on another, of
 * another version during a rolling upgrade. Never renumber or reuse an id; add new types at the
 * end. Ids 0 to 8 are Kryo's own (int, String, float, boolean, byte, char, short, long, double and
 * their boxes); ids below 126 take one byte.
 */
final class JdkTypes {
  private JdkTypes() {}

  private record Type(
      int id, Class<?> type, BiFunction<Kryo, CodecLimits, Serializer<?>> serializer) {}

  private static final List<Type> TYPES = new ArrayList<>();

  /** Binary names of the classes every policy allows; includes Kryo's own primitives' boxes. */
  static final Set<String> ALLOWED_NAMES;

  private static void add(
      int id, Class<?> type, BiFunction<Kryo, CodecLimits, Serializer<?>> serializer) {
    TYPES.add(new Type(id, type, serializer));
  }

  private static void wrapper(int id, Shape shape, boolean synchronizedWrapper) {
    add(
        id,
        shape.wrapperClass(synchronizedWrapper),
        (k, l) -> WrapperSerializers.of(shape, synchronizedWrapper, l));
  }

  static {
    add(10, byte[].class, (k, l) -> new CheckedArraySerializer<>(new ByteArraySerializer(), 1, l));
    add(11, char[].class, (k, l) -> new CheckedArraySerializer<>(new CharArraySerializer(), 2, l));
    add(
        12,
        short[].class,
        (k, l) -> new CheckedArraySerializer<>(new ShortArraySerializer(), 2, l));
    add(13, int[].class, (k, l) -> new CheckedArraySerializer<>(new IntArraySerializer(), 1, l));
    add(14, long[].class, (k, l) -> new CheckedArraySerializer<>(new LongArraySerializer(), 1, l));
    add(
        15,
        float[].class,
        (k, l) -> new CheckedArraySerializer<>(new FloatArraySerializer(), 4, l));
    add(
        16,
        double[].class,
        (k, l) -> new CheckedArraySerializer<>(new DoubleArraySerializer(), 8, l));
    add(
        17,
        boolean[].class,
        (k, l) -> new CheckedArraySerializer<>(new BooleanArraySerializer(), 1, l));
    add(
        18,
        String[].class,
        (k, l) -> new CheckedArraySerializer<>(new StringArraySerializer(), 1, l));
    add(
        19,
        Object[].class,
        (k, l) -> new CheckedArraySerializer<>(new ObjectArraySerializer(k, Object[].class), 1, l));
    add(20, BigInteger.class, (k, l) -> new BigIntegerSerializer());
    add(21, BigDecimal.class, (k, l) -> new BigDecimalSerializer());
    add(22, UUID.class, (k, l) -> new UUIDSerializer());
    add(23, Date.class, (k, l) -> new DateSerializer());
    add(24, Locale.class, (k, l) -> new LocaleSerializer());
    add(25, Currency.class, (k, l) -> new CurrencySerializer());
    add(26, AtomicInteger.class, (k, l) -> new AtomicIntegerSerializer());
    add(27, AtomicLong.class, (k, l) -> new AtomicLongSerializer());
    add(28, AtomicBoolean.class, (k, l) -> new AtomicBooleanSerializer());
    add(29, ArrayList.class, (k, l) -> new BoundedCollectionSerializer<>(l));
    add(30, LinkedList.class, (k, l) -> new BoundedCollectionSerializer<>(l));
    add(31, ArrayDeque.class, (k, l) -> new BoundedCollectionSerializer<>(l));
    add(32, HashSet.class, (k, l) -> new BoundedCollectionSerializer<>(l));
    add(33, LinkedHashSet.class, (k, l) -> new BoundedCollectionSerializer<>(l));
    add(34, TreeSet.class, (k, l) -> new BoundedTreeSetSerializer(l));
    add(35, HashMap.class, (k, l) -> new BoundedMapSerializer<>(l));
    add(36, LinkedHashMap.class, (k, l) -> new BoundedMapSerializer<>(l));
    add(37, TreeMap.class, (k, l) -> new BoundedTreeMapSerializer(l));
    add(38, ConcurrentHashMap.class, (k, l) -> new BoundedMapSerializer<>(l));
    add(39, ConcurrentSkipListMap.class, (k, l) -> new BoundedSkipListMapSerializer(l));
    add(40, CopyOnWriteArrayList.class, (k, l) -> JdkCollectionSerializers.copyOnWriteList(l));
    add(41, EnumMap.class, (k, l) -> new EnumMapSerializer(l));
    add(42, EnumSet.class, (k, l) -> new EnumSetSerializer());
    add(43, Arrays.asList().getClass(), (k, l) -> JdkCollectionSerializers.arraysAsList(l));
    add(44, Collections.emptyList().getClass(), (k, l) -> new CollectionsEmptyListSerializer());
    add(45, Collections.emptySet().getClass(), (k, l) -> new CollectionsEmptySetSerializer());
    add(46, Collections.emptyMap().getClass(), (k, l) -> new CollectionsEmptyMapSerializer());
    add(
        47,
        Collections.singletonList(null).getClass(),
        (k, l) -> new CollectionsSingletonListSerializer());
    add(
        48,
        Collections.singleton(null).getClass(),
        (k, l) -> new CollectionsSingletonSetSerializer());
    add(
        49,
        Collections.singletonMap(null, null).getClass(),
        (k, l) -> new CollectionsSingletonMapSerializer());
    add(50, List.of(1).getClass(), (k, l) -> JdkCollectionSerializers.immutableList(l));
    add(51, List.of(1, 2, 3).getClass(), (k, l) -> JdkCollectionSerializers.immutableList(l));
    add(
        52,
        List.of(1, 2, 3).subList(0, 2).getClass(),
        (k, l) -> JdkCollectionSerializers.immutableList(l));
    add(53, Set.of(1).getClass(), (k, l) -> JdkCollectionSerializers.immutableSet(l));
    add(54, Set.of(1, 2, 3).getClass(), (k, l) -> JdkCollectionSerializers.immutableSet(l));
    add(
        55,
        Map.of(1, 2).getClass(),
        (k, l) -> new JdkCollectionSerializers.ImmutableMapSerializer(l));
    add(
        56,
        Map.of(1, 2, 3, 4).getClass(),
        (k, l) -> new JdkCollectionSerializers.ImmutableMapSerializer(l));
    int id = 57;
    for (boolean synchronizedWrapper : new boolean[] {false, true}) {
      for (Shape shape : Shape.values()) {
        wrapper(id++, shape, synchronizedWrapper); // 57-65 unmodifiable, 66-74 synchronized
      }
    }
    add(
        75,
        Collections.emptyNavigableSet().getClass(),
        (k, l) -> new SingletonSerializer<>(Collections.emptyNavigableSet()));
    add(
        76,
        Collections.emptyNavigableMap().getClass(),
        (k, l) -> new SingletonSerializer<>(Collections.emptyNavigableMap()));
    add(77, Duration.class, (k, l) -> new DurationSerializer());
    add(78, Instant.class, (k, l) -> new InstantSerializer());
    add(79, LocalDate.class, (k, l) -> new LocalDateSerializer());
    add(80, LocalTime.class, (k, l) -> new LocalTimeSerializer());
    add(81, LocalDateTime.class, (k, l) -> new LocalDateTimeSerializer());
    add(82, ZoneOffset.class, (k, l) -> new ZoneOffsetSerializer());
    add(83, ZoneId.of("Europe/Paris").getClass(), (k, l) -> new ZoneIdSerializer());
    add(84, OffsetTime.class, (k, l) -> new OffsetTimeSerializer());
    add(85, OffsetDateTime.class, (k, l) -> new OffsetDateTimeSerializer());
    add(86, ZonedDateTime.class, (k, l) -> new ZonedDateTimeSerializer());
    add(87, Year.class, (k, l) -> new YearSerializer());
    add(88, YearMonth.class, (k, l) -> new YearMonthSerializer());
    add(89, MonthDay.class, (k, l) -> new MonthDaySerializer());
    add(90, Period.class, (k, l) -> new PeriodSerializer());
    add(91, DayOfWeek.class, (k, l) -> new EnumSerializer(DayOfWeek.class));
    add(92, Month.class, (k, l) -> new EnumSerializer(Month.class));
    add(93, TimeUnit.class, (k, l) -> new EnumSerializer(TimeUnit.class));
    add(
        94,
        Collections.reverseOrder().getClass(),
        (k, l) -> new SingletonSerializer<>(Collections.reverseOrder()));
    add(
        95,
        String.CASE_INSENSITIVE_ORDER.getClass(),
        (k, l) -> new SingletonSerializer<>(String.CASE_INSENSITIVE_ORDER));
    add(
        96,
        Comparator.naturalOrder().getClass(),
        (k, l) -> new SingletonSerializer<>(Comparator.naturalOrder()));

    Set<String> names = new HashSet<>();
    for (Type type : TYPES) {
      if (!type.type.isArray()) {
        names.add(type.type.getName());
      }
    }
    for (Class<?> boxed :
        List.of(
            String.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Character.class,
            Boolean.class,
            Float.class,
            Double.class,
            // EnumSet's implementations, which Kryo maps to EnumSet's registration.
            EnumSet.noneOf(DayOfWeek.class).getClass(),
            EnumSet.noneOf(JumboKeys.class).getClass())) {
      names.add(boxed.getName());
    }
    ALLOWED_NAMES = Set.copyOf(names);
  }

  /** Registers every JDK type with its id and serializer. */
  static void registerAll(Kryo kryo, CodecLimits limits) {
    for (Type type : TYPES) {
      kryo.register(type.type, type.serializer.apply(kryo, limits), type.id);
    }
  }

  /** Number of entries, for tests. */
  static int count() {
    return TYPES.size();
  }

  /** An enum of more than 64 constants, whose EnumSets are JumboEnumSets. */
  private enum JumboKeys {
    K0,
    K1,
    K2,
    K3,
    K4,
    K5,
    K6,
    K7,
    K8,
    K9,
    K10,
    K11,
    K12,
    K13,
    K14,
    K15,
    K16,
    K17,
    K18,
    K19,
    K20,
    K21,
    K22,
    K23,
    K24,
    K25,
    K26,
    K27,
    K28,
    K29,
    K30,
    K31,
    K32,
    K33,
    K34,
    K35,
    K36,
    K37,
    K38,
    K39,
    K40,
    K41,
    K42,
    K43,
    K44,
    K45,
    K46,
    K47,
    K48,
    K49,
    K50,
    K51,
    K52,
    K53,
    K54,
    K55,
    K56,
    K57,
    K58,
    K59,
    K60,
    K61,
    K62,
    K63,
    K64
  }

  /**
   * A {@link Locale}: language, country and variant as strings, or its language tag when it has a
   * script or extensions (only a well-formed locale can have them, and its tag keeps them). Kryo's
   * own {@code LocaleSerializer} wrote language and country with {@code writeAscii}, which garbles
   * the non-ASCII text a locale may hold, so what it encoded did not decode ({@code
   * AttributeFuzzTest} found a decoded locale whose encoding left 51 bytes unread), and it dropped
   * scripts.
   */
  static final class LocaleSerializer extends ImmutableSerializer<Locale> {
    @Override
    public void write(Kryo kryo, Output output, Locale locale) {
      boolean tagged = !locale.getScript().isEmpty() || locale.hasExtensions();
      output.writeBoolean(tagged);
      if (tagged) {
        output.writeString(locale.toLanguageTag());
        return;
      }
      output.writeString(locale.getLanguage());
      output.writeString(locale.getCountry());
      output.writeString(locale.getVariant());
    }

    @Override
    public Locale read(Kryo kryo, Input input, Class<? extends Locale> type) {
      if (input.readBoolean()) {
        String tag = input.readString();
        if (tag == null) {
          throw new KryoException("a locale's language tag is missing");
        }
        return Locale.forLanguageTag(tag);
      }
      String language = input.readString();
      String country = input.readString();
      String variant = input.readString();
      if (language == null || country == null || variant == null) {
        throw new KryoException("a locale part is missing");
      }
      return new Locale(language, country, variant);
    }
  }
}
