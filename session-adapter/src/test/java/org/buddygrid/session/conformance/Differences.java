package org.buddygrid.session.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mode's differences register: the {@link Property properties} in which it deliberately differs
 * from the reference, each with the value it has instead and why. Immutable; built with {@link
 * #with}:
 *
 * <pre>{@code
 * Differences.none()
 *     .with(Property.URL_SESSION_TRACKING, false,
 *         "URL rewriting is off by default: ids in URLs leak through Referer, logs and links")
 * }</pre>
 *
 * <p>Checks ask {@link #expected(Property)} and assert that value, so a declared difference is
 * still checked (the mode must behave as declared), never skipped.
 */
public final class Differences {

  /**
   * One entry of the register.
   *
   * @param property what differs
   * @param modeValue what the mode does instead of {@link Property#referenceValue()}
   * @param reason why, in a sentence
   */
  public record Difference(Property<?> property, Object modeValue, String reason) {}

  private static final Differences NONE = new Differences(Map.of());

  private final Map<Property<?>, Difference> entries;

  private Differences(Map<Property<?>, Difference> entries) {
    this.entries = entries;
  }

  /** The empty register: the mode behaves as the reference in every check. */
  public static Differences none() {
    return NONE;
  }

  /**
   * This register plus one difference.
   *
   * @throws IllegalArgumentException if the reason is blank, the value is the reference's (not a
   *     difference), or the property is already declared
   */
  public <T> Differences with(Property<T> property, T modeValue, String reason) {
    Objects.requireNonNull(modeValue, "modeValue");
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(property + ": a difference needs a reason");
    }
    if (modeValue.equals(property.referenceValue())) {
      throw new IllegalArgumentException(property + ": " + modeValue + " is the reference's value");
    }
    if (entries.containsKey(property)) {
      throw new IllegalArgumentException(property + " is declared twice");
    }
    Map<Property<?>, Difference> more = new LinkedHashMap<>(entries);
    more.put(property, new Difference(property, modeValue, reason));
    return new Differences(Collections.unmodifiableMap(more));
  }

  /** The value a check must expect from this mode: the declared one, else the reference's. */
  public <T> T expected(Property<T> property) {
    Difference d = entries.get(property);
    if (d == null) {
      return property.referenceValue();
    }
    @SuppressWarnings("unchecked") // with() only stores a T for a Property<T>
    T value = (T) d.modeValue();
    return value;
  }

  /** The entries, in declaration order. */
  public List<Difference> list() {
    return new ArrayList<>(entries.values());
  }

  /** Whether the mode declares no difference at all. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
