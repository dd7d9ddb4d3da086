package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
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
import java.util.stream.Stream;
import org.buddygrid.core.attribute.fixtures.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every JDK type of the default allow-list survives encode and decode, equal and of its class. */
@SuppressWarnings({"unchecked", "rawtypes"})
class JdkTypesRoundTripTest {
  private static final AttributeCodec CODEC = Samples.codec();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    return (T) CODEC.decode(CODEC.encode("value", value));
  }

  static Stream<Object> values() {
    TreeSet<String> reversed = new TreeSet<>(Collections.reverseOrder());
    reversed.addAll(List.of("a", "b", "c"));
    TreeMap<String, Integer> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.put("B", 2);
    caseInsensitive.put("a", 1);
    TreeSet<Integer> natural = new TreeSet<>(Comparator.naturalOrder());
    natural.addAll(List.of(3, 1, 2));
    ConcurrentSkipListMap<String, Integer> skipList = new ConcurrentSkipListMap<>();
    skipList.put("k", 1);
    ConcurrentHashMap<String, Integer> concurrent = new ConcurrentHashMap<>(Map.of("k", 1, "l", 2));
    return Stream.of(
        "",
        "plain ascii",
        "ünïcödé and more than thirty-two characters so not the ASCII form",
        Integer.MIN_VALUE,
        Long.MAX_VALUE,
        (short) -3,
        (byte) 7,
        'x',
        true,
        1.5f,
        -2.25d,
        new BigInteger("123456789012345678901234567890"),
        BigInteger.ZERO,
        new BigDecimal("-1234567890.0987654321"),
        new BigDecimal("12345678901234567890.123456789"),
        UUID.randomUUID(),
        new Date(1_700_000_000_000L),
        Locale.CANADA_FRENCH,
        Currency.getInstance("JPY"),
        Duration.ofMillis(123_456),
        Instant.ofEpochSecond(1_700_000_000L, 123),
        LocalDate.of(2024, 2, 29),
        LocalTime.of(23, 59, 59, 999),
        LocalDateTime.of(2024, 1, 1, 0, 0),
        ZoneOffset.ofHours(-5),
        ZoneId.of("Europe/Paris"),
        OffsetTime.of(LocalTime.NOON, ZoneOffset.UTC),
        OffsetDateTime.of(2024, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2)),
        ZonedDateTime.of(2024, 6, 1, 8, 0, 0, 0, ZoneId.of("America/New_York")),
        Year.of(1999),
        YearMonth.of(2020, 12),
        MonthDay.of(2, 29),
        Period.of(1, 2, 3),
        DayOfWeek.SUNDAY,
        Month.MARCH,
        TimeUnit.SECONDS,
        new ArrayList<>(List.of(1, "two", 3.0)),
        new LinkedList<>(List.of("a", "b")),
        new HashSet<>(Set.of(1, 2, 3)),
        new LinkedHashSet<>(List.of("z", "a", "m")),
        new HashMap<>(Map.of("a", 1, "b", List.of(2))),
        new LinkedHashMap<>(Map.of("only", "one")),
        new TreeMap<>(Map.of(3, "c", 1, "a")),
        new TreeSet<>(List.of("b", "a")),
        reversed,
        caseInsensitive,
        natural,
        skipList,
        concurrent,
        new CopyOnWriteArrayList<>(List.of("x", "y")),
        Arrays.asList("fixed", "size"),
        List.of(),
        List.of(1),
        List.of(1, 2),
        List.of(1, 2, 3, 4),
        List.of(1, 2, 3, 4).subList(1, 3),
        Stream.of("with", null, "nulls").toList(),
        Set.of(),
        Set.of("one"),
        Set.of("one", "two", "three"),
        Map.of(),
        Map.of("k", "v"),
        Map.of("k1", 1, "k2", 2, "k3", 3),
        Collections.emptyList(),
        Collections.emptySet(),
        Collections.emptyMap(),
        Collections.singletonList("s"),
        Collections.singleton(1),
        Collections.singletonMap("k", "v"),
        Collections.emptySortedSet(),
        Collections.emptyNavigableMap(),
        EnumSet.of(Tier.BRONZE, Tier.GOLD),
        EnumSet.noneOf(Tier.class),
        EnumSet.allOf(DayOfWeek.class));
  }

  @ParameterizedTest
  @MethodSource("values")
  void roundTripsEqualAndOfTheSameClass(Object value) {
    Object decoded = roundTrip(value);
    assertThat(decoded).isEqualTo(value);
    if (value.getClass() == List.of(1, 2, 3).subList(0, 2).getClass()) {
      // A sublist of List.of comes back as the List.of list of its elements.
      assertThat(decoded).hasSameClassAs(List.copyOf((List<?>) value));
    } else {
      assertThat(decoded).hasSameClassAs(value);
    }
  }

  @Test
  void primitiveAndObjectArraysRoundTrip() {
    Object[] arrays = {
      new byte[] {1, -2, 3},
      new char[] {'a', 'é'},
      new short[] {-1, 2},
      new int[] {Integer.MIN_VALUE, 0, 1},
      new long[] {Long.MAX_VALUE},
      new float[] {1.5f, Float.NaN},
      new double[] {-0.0, 2.5},
      new boolean[] {true, false},
      new String[] {"a", null, "c"},
      new Object[] {1, "two", null, List.of(3)},
      new int[][] {{1, 2}, {3}},
      new Tier[] {Tier.GOLD, null},
      new LocalDate[] {LocalDate.EPOCH},
    };
    for (Object array : arrays) {
      Object decoded = roundTrip(array);
      assertThat(decoded).hasSameClassAs(array);
      assertThat(Arrays.deepEquals(new Object[] {decoded}, new Object[] {array}))
          .as("%s", array.getClass().getSimpleName())
          .isTrue();
    }
  }

  @Test
  void aLocaleWithNonAsciiPartsRoundTrips() {
    // Kryo's own LocaleSerializer wrote language and country as ASCII: these did not decode.
    Locale odd = new Locale("\u009e\u00e9x", "\u0130Z", "v\u00e4r");
    assertThat(roundTrip(odd)).isEqualTo(odd);
    assertThat(roundTrip(Locale.forLanguageTag("sr-Latn-RS")))
        .isEqualTo(Locale.forLanguageTag("sr-Latn-RS"));
  }

  @Test
  void atomicsKeepTheirValue() {
    assertThat(roundTrip(new AtomicLong(-7)).get()).isEqualTo(-7);
    assertThat(roundTrip(new AtomicInteger(12)).get()).isEqualTo(12);
    assertThat(roundTrip(new AtomicBoolean(true)).get()).isTrue();
  }

  @Test
  void enumMapsRoundTripFullAndEmpty() {
    EnumMap<Tier, String> full = new EnumMap<>(Tier.class);
    full.put(Tier.GOLD, "g");
    full.put(Tier.BRONZE, null);
    assertThat(roundTrip(full)).isEqualTo(full).isInstanceOf(EnumMap.class);

    EnumMap<Tier, String> empty = new EnumMap<>(Tier.class);
    EnumMap<Tier, String> decoded = roundTrip(empty);
    assertThat(decoded).isEmpty();
    decoded.put(Tier.SILVER, "the key type came back"); // throws if it did not
    assertThatThrownBy(() -> ((EnumMap) decoded).put(DayOfWeek.MONDAY, "x"))
        .isInstanceOf(ClassCastException.class);
  }

  static Stream<Object> unmodifiableWrappers() {
    List<String> elements = List.of("b", "a", "c");
    return Stream.of(
        Collections.unmodifiableCollection(new ArrayList<>(elements)),
        Collections.unmodifiableList(new ArrayList<>(elements)),
        Collections.unmodifiableList(new LinkedList<>(elements)),
        Collections.unmodifiableSet(new HashSet<>(elements)),
        Collections.unmodifiableSortedSet(new TreeSet<>(elements)),
        Collections.unmodifiableNavigableSet(new TreeSet<>(elements)),
        Collections.unmodifiableMap(new HashMap<>(Map.of("k", 1))),
        Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("k", 1, "j", 2))),
        Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("k", 1))));
  }

  @ParameterizedTest
  @MethodSource("unmodifiableWrappers")
  void unmodifiableWrappersStayUnmodifiable(Object wrapper) {
    Object decoded = roundTrip(wrapper);
    assertThat(decoded).hasSameClassAs(wrapper);
    if (wrapper instanceof Map) {
      assertThat(decoded).isEqualTo(wrapper);
      assertThatThrownBy(() -> ((Map<Object, Object>) decoded).put("new", 0))
          .isInstanceOf(UnsupportedOperationException.class);
    } else {
      assertThat(new ArrayList<Object>((Collection<?>) decoded))
          .containsExactlyInAnyOrderElementsOf((Collection<?>) wrapper);
      if (wrapper instanceof List || wrapper instanceof Set) {
        // A plain Collection has no equals of its own: only lists and sets compare by content.
        assertThat(decoded).isEqualTo(wrapper);
      }
      assertThatThrownBy(() -> ((Collection<Object>) decoded).add("new"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void sortedWrappersKeepTheirComparatorAndOrder() {
    TreeSet<String> backing = new TreeSet<>(Collections.reverseOrder());
    backing.addAll(List.of("a", "c", "b"));
    NavigableSet<String> decoded = roundTrip(Collections.unmodifiableNavigableSet(backing));
    assertThat(decoded).containsExactly("c", "b", "a");
    assertThat(decoded.comparator()).isSameAs(Collections.reverseOrder());

    SortedMap<String, Integer> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    map.put("b", 2);
    map.put("A", 1);
    SortedMap<String, Integer> decodedMap = roundTrip(Collections.synchronizedSortedMap(map));
    assertThat(decodedMap.keySet()).containsExactly("A", "b");
    assertThat(decodedMap.get("a")).isEqualTo(1);
  }

  static Stream<Object> synchronizedWrappers() {
    List<Integer> elements = List.of(3, 1, 2);
    return Stream.of(
        Collections.synchronizedCollection(new ArrayList<>(elements)),
        Collections.synchronizedList(new ArrayList<>(elements)),
        Collections.synchronizedList(new LinkedList<>(elements)),
        Collections.synchronizedSet(new HashSet<>(elements)),
        Collections.synchronizedSortedSet(new TreeSet<>(elements)),
        Collections.synchronizedNavigableSet(new TreeSet<>(elements)),
        Collections.synchronizedMap(new HashMap<>(Map.of(1, "a"))),
        Collections.synchronizedSortedMap(new TreeMap<>(Map.of(1, "a"))),
        Collections.synchronizedNavigableMap(new TreeMap<>(Map.of(1, "a", 2, "b"))));
  }

  @ParameterizedTest
  @MethodSource("synchronizedWrappers")
  void synchronizedWrappersStaySynchronizedAndModifiable(Object wrapper) {
    Object decoded = roundTrip(wrapper);
    assertThat(decoded).hasSameClassAs(wrapper);
    if (wrapper instanceof Map) {
      assertThat(decoded).isEqualTo(wrapper);
      ((Map<Object, Object>) decoded).put(9, "z");
      assertThat(((Map<?, ?>) decoded).containsKey(9)).isTrue();
    } else {
      assertThat(new ArrayList<Object>((Collection<?>) decoded))
          .containsExactlyInAnyOrderElementsOf((Collection<?>) wrapper);
      ((Collection<Object>) decoded).add(9);
      assertThat(new ArrayList<Object>((Collection<?>) decoded)).contains(9);
    }
  }

  @Test
  void immutableCollectionsStayImmutable() {
    for (Object value :
        List.of(List.of(1, 2, 3), Set.of(1, 2), Map.of("k", 1), Stream.of(1, null).toList())) {
      Object decoded = roundTrip(value);
      assertThat(decoded).isEqualTo(value).hasSameClassAs(value);
      if (decoded instanceof Collection) {
        assertThatThrownBy(() -> ((Collection<Object>) decoded).add(4))
            .isInstanceOf(UnsupportedOperationException.class);
      } else {
        assertThatThrownBy(() -> ((Map<Object, Object>) decoded).put("x", 1))
            .isInstanceOf(UnsupportedOperationException.class);
      }
    }
  }

  @Test
  void nullAndSharedReferencesSurvive() {
    assertThat(roundTrip((Object) null)).isNull();
    List<Object> shared = new ArrayList<>(List.of("shared"));
    List<Object> outer = new ArrayList<>();
    outer.add(shared);
    outer.add(shared);
    List<Object> decoded = roundTrip(outer);
    assertThat(decoded.get(0)).isSameAs(decoded.get(1));
    // A collection containing itself is refused (HostileInputTest): the JDK cannot hash one.
  }

  @Test
  void everyRegisteredTypeIsAllowedByName() {
    assertThat(ClassPolicy.jdkClasses()).hasSize(JdkTypes.count() - 10 + 11);
  }
}
