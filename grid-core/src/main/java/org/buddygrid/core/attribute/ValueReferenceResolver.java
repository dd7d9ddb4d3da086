package org.buddygrid.core.attribute;

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
