package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Kryo's reference tracking, which keeps shared objects and cycles inside one value, except for
 * immutable JDK values: besides boxes and enums (as in Kryo), strings, numbers, {@code java.time}
 * values, UUIDs, locales and currencies are written in full each time they occur. Tracking them
 * costs an identity-map lookup per string and a byte per string field, and buys nothing but sharing
 * that immutable values do not need.
 *
 * <p>A collection or map may not contain itself, directly or through other objects: a reference
 * back to one that is still being written or read is refused ({@link #SELF_CONTAINING}). The JDK
 * cannot hash such a collection (its {@code hashCode} recurses until the stack overflows), and a
 * hostile input could otherwise build one and put it in a hashed set while decoding. Cycles through
 * other objects (a node whose {@code next} leads back to it) keep working.
 */
final class ValueReferenceResolver extends MapReferenceResolver {
  private static final Set<Class<?>> VALUES =
      Set.of(
          BigDecimal.class,
          BigInteger.class,
          UUID.class,
          Locale.class,
          Currency.class,
          Duration.class,
          Instant.class,
          LocalDate.class,
          LocalTime.class,
          LocalDateTime.class,
          ZoneOffset.class,
          ZoneId.of("Europe/Paris").getClass(),
          OffsetTime.class,
          OffsetDateTime.class,
          ZonedDateTime.class,
          Year.class,
          YearMonth.class,
          MonthDay.class,
          Period.class);

  /** The start of the message of the refusal of a collection or map that contains itself. */
  static final String SELF_CONTAINING = "A collection or map contains itself";

  /** The objects being written, outermost first (the one being written last). */
  private final java.util.ArrayList<Object> writing = new java.util.ArrayList<>();

  /** The objects being read that were referenced already, outermost first. */
  private final java.util.ArrayList<Object> reading = new java.util.ArrayList<>();

  /** Marks the start of writing {@code object}; returns the mark to pass to {@link #leave}. */
  int enterWrite(Object object) {
    writing.add(object);
    return writing.size() - 1;
  }

  void leaveWrite(int mark) {
    truncate(writing, mark);
  }

  /** Marks the start of reading an object; returns the mark to pass to {@link #leaveRead}. */
  int enterRead() {
    return reading.size();
  }

  void leaveRead(int mark) {
    truncate(reading, mark);
  }

  /** An object being read is referenced (it can be referred back to from now on). */
  void referenced(Object object) {
    reading.add(object);
  }

  private static void truncate(java.util.ArrayList<Object> stack, int mark) {
    for (int i = stack.size() - 1; i >= mark; i--) {
      stack.remove(i);
    }
  }

  private static boolean isContainer(Object object) {
    return object instanceof java.util.Collection || object instanceof java.util.Map;
  }

  private static boolean holds(java.util.List<Object> stack, int end, Object object) {
    for (int i = 0; i < end; i++) {
      if (stack.get(i) == object) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int getWrittenId(Object object) {
    int id = super.getWrittenId(object);
    // The top of the stack is this write of the object itself.
    if (id != -1 && isContainer(object) && holds(writing, writing.size() - 1, object)) {
      throw new KryoException(
          SELF_CONTAINING + ": a " + object.getClass().getName() + " holds itself");
    }
    return id;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Object getReadObject(Class type, int id) {
    Object object = super.getReadObject(type, id);
    if (isContainer(object) && holds(reading, reading.size(), object)) {
      throw new KryoException(
          SELF_CONTAINING + ": a " + object.getClass().getName() + " refers back to itself");
    }
    return object;
  }

  @Override
  public void reset() {
    super.reset();
    writing.clear();
    reading.clear();
  }

  /** Told of every object written by reference during one encode; null when nobody listens. */
  java.util.function.Consumer<Object> listener;

  @Override
  public int addWrittenObject(Object object) {
    java.util.function.Consumer<Object> l = listener;
    if (l != null) {
      l.accept(object);
    }
    return super.addWrittenObject(object);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public boolean useReferences(Class type) {
    return type != String.class && super.useReferences(type) && !VALUES.contains(type);
  }
}
