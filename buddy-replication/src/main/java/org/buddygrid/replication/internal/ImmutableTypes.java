package org.buddygrid.replication.internal;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;
import org.buddygrid.replication.Immutable;

/**
 * Which values cannot change in place, so that reading them never makes an attribute dirty: String,
 * boxed primitives, enums, {@code java.time} values, UUID, BigDecimal/BigInteger, classes marked
 * {@link Immutable} or named in the grid's settings, and records whose components are all of such
 * types (primitives included). Answers are cached per class.
 */
final class ImmutableTypes {
  private static final Set<Class<?>> KNOWN =
      Set.of(
          String.class,
          Boolean.class,
          Byte.class,
          Short.class,
          Character.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          UUID.class,
          BigDecimal.class,
          BigInteger.class,
          java.util.Locale.class,
          java.util.Currency.class,
          java.net.URI.class);

  private final Set<Class<?>> declared;
  private final ClassValue<Boolean> cache =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return compute(type);
        }
      };

  ImmutableTypes(Set<Class<?>> declared) {
    this.declared = Set.copyOf(declared);
  }

  boolean isImmutable(Object value) {
    return value == null || cache.get(value.getClass());
  }

  private boolean compute(Class<?> type) {
    if (type.isPrimitive() || KNOWN.contains(type) || type.isEnum() || declared.contains(type)) {
      return true;
    }
    if (type.getSuperclass() != null && type.getSuperclass().isEnum()) {
      return true; // an enum constant with a body
    }
    if (type.isAnnotationPresent(Immutable.class)) {
      return true;
    }
    Package p = type.getPackage();
    if (p != null && p.getName().equals("java.time") && !type.isInterface()) {
      return true; // every concrete java.time value class is immutable
    }
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        Class<?> t = c.getType();
        if (!(t.isPrimitive()
            || java.lang.reflect.Modifier.isFinal(t.getModifiers()) && cache.get(t))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
