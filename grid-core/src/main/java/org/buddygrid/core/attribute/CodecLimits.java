package org.buddygrid.core.attribute;

import java.util.Objects;
import java.util.function.Function;
import org.buddygrid.core.GridException;

/**
 * The bounds {@link AttributeCodec} holds every value to, on both sides: the owner refuses to
 * encode a value over a limit ({@link AttributeTooLargeException}), and a receiver refuses bytes
 * that claim more ({@link MalformedAttributeException}) before allocating for them. Every node of a
 * grid should use the same limits.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>bounds</th></tr>
 *   <tr><td>{@value #MAX_ATTRIBUTE_SIZE}</td><td>1 MiB</td>
 *       <td>the encoded size of one attribute value, in bytes</td></tr>
 *   <tr><td>{@value #MAX_COLLECTION_LENGTH}</td><td>1,048,576</td>
 *       <td>the elements of one collection, array or map (entries)</td></tr>
 *   <tr><td>{@value #MAX_STRING_LENGTH}</td><td>1,048,576</td>
 *       <td>the characters of one string</td></tr>
 *   <tr><td>{@value #MAX_DEPTH}</td><td>32</td>
 *       <td>how deep objects nest in one value (a list of records of strings is 3 deep)</td></tr>
 * </table>
 *
 * <p>Whatever the limits, a receiver never allocates more for a collection, array or string than
 * the bytes left in its input can fill (each element takes at least one byte), so a few bytes that
 * claim two billion elements are refused at once. Immutable and thread-safe; each {@code with}
 * method validates its argument and returns a new instance.
 */
public final class CodecLimits {
  /** Setting: the largest encoded size of one attribute value, in bytes. */
  public static final String MAX_ATTRIBUTE_SIZE = "buddygrid.max-attribute-size";

  /** Setting: the most elements (entries for a map) of one collection, map or array. */
  public static final String MAX_COLLECTION_LENGTH = "buddygrid.max-collection-length";

  /** Setting: the most characters of one string. */
  public static final String MAX_STRING_LENGTH = "buddygrid.max-string-length";

  /** Setting: how deep objects may nest in one value. */
  public static final String MAX_DEPTH = "buddygrid.max-depth";

  /** Default of {@value #MAX_ATTRIBUTE_SIZE}: 1 MiB. */
  public static final int DEFAULT_MAX_ATTRIBUTE_SIZE = 1 << 20;

  /** Default of {@value #MAX_COLLECTION_LENGTH}. */
  public static final int DEFAULT_MAX_COLLECTION_LENGTH = 1 << 20;

  /** Default of {@value #MAX_STRING_LENGTH}. */
  public static final int DEFAULT_MAX_STRING_LENGTH = 1 << 20;

  /** Default of {@value #MAX_DEPTH}. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  /** The largest {@value #MAX_ATTRIBUTE_SIZE} accepted: 1 GiB. */
  public static final int MAX_ATTRIBUTE_SIZE_CEILING = 1 << 30;

  /** The largest {@value #MAX_DEPTH} accepted; deeper values risk overflowing thread stacks. */
  public static final int MAX_DEPTH_CEILING = 256;

  private static final CodecLimits DEFAULTS =
      new CodecLimits(
          DEFAULT_MAX_ATTRIBUTE_SIZE,
          DEFAULT_MAX_COLLECTION_LENGTH,
          DEFAULT_MAX_STRING_LENGTH,
          DEFAULT_MAX_DEPTH);

  private final int maxAttributeSize;
  private final int maxCollectionLength;
  private final int maxStringLength;
  private final int maxDepth;

  private CodecLimits(
      int maxAttributeSize, int maxCollectionLength, int maxStringLength, int maxDepth) {
    this.maxAttributeSize = maxAttributeSize;
    this.maxCollectionLength = maxCollectionLength;
    this.maxStringLength = maxStringLength;
    this.maxDepth = maxDepth;
  }

  /** The documented defaults. */
  public static CodecLimits defaults() {
    return DEFAULTS;
  }

  /**
   * The limits given by settings looked up by name (system properties, servlet context parameters,
   * ...): each setting that {@code settings} maps to null keeps its default.
   *
   * @throws GridException naming the setting if a value is not a whole number within its bounds
   */
  public static CodecLimits fromSettings(Function<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    CodecLimits limits = DEFAULTS;
    limits =
        limits.withMaxAttributeSize(read(settings, MAX_ATTRIBUTE_SIZE, limits.maxAttributeSize));
    limits =
        limits.withMaxCollectionLength(
            read(settings, MAX_COLLECTION_LENGTH, limits.maxCollectionLength));
    limits = limits.withMaxStringLength(read(settings, MAX_STRING_LENGTH, limits.maxStringLength));
    return limits.withMaxDepth(read(settings, MAX_DEPTH, limits.maxDepth));
  }

  private static int read(Function<String, String> settings, String name, int defaultValue) {
    String value = settings.apply(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new GridException(
          name + " must be a whole number, not \"" + value + "\" (default " + defaultValue + ")");
    }
  }

  /** The largest encoded size of one attribute value, in bytes ({@value #MAX_ATTRIBUTE_SIZE}). */
  public int maxAttributeSize() {
    return maxAttributeSize;
  }

  /** The most elements of one collection, map or array ({@value #MAX_COLLECTION_LENGTH}). */
  public int maxCollectionLength() {
    return maxCollectionLength;
  }

  /** The most characters of one string ({@value #MAX_STRING_LENGTH}). */
  public int maxStringLength() {
    return maxStringLength;
  }

  /** How deep objects may nest in one value ({@value #MAX_DEPTH}). */
  public int maxDepth() {
    return maxDepth;
  }

  /** These limits with {@value #MAX_ATTRIBUTE_SIZE} set to {@code bytes} (1 to 1 GiB). */
  public CodecLimits withMaxAttributeSize(int bytes) {
    check(MAX_ATTRIBUTE_SIZE, bytes, 1, MAX_ATTRIBUTE_SIZE_CEILING);
    return new CodecLimits(bytes, maxCollectionLength, maxStringLength, maxDepth);
  }

  /** These limits with {@value #MAX_COLLECTION_LENGTH} set to {@code elements} (at least 1). */
  public CodecLimits withMaxCollectionLength(int elements) {
    check(MAX_COLLECTION_LENGTH, elements, 1, Integer.MAX_VALUE);
    return new CodecLimits(maxAttributeSize, elements, maxStringLength, maxDepth);
  }

  /** These limits with {@value #MAX_STRING_LENGTH} set to {@code chars} (at least 1). */
  public CodecLimits withMaxStringLength(int chars) {
    check(MAX_STRING_LENGTH, chars, 1, Integer.MAX_VALUE);
    return new CodecLimits(maxAttributeSize, maxCollectionLength, chars, maxDepth);
  }

  /**
   * These limits with {@value #MAX_DEPTH} set to {@code depth} (1 to {@value #MAX_DEPTH_CEILING}).
   */
  public CodecLimits withMaxDepth(int depth) {
    check(MAX_DEPTH, depth, 1, MAX_DEPTH_CEILING);
    return new CodecLimits(maxAttributeSize, maxCollectionLength, maxStringLength, depth);
  }

  private static void check(String setting, int value, int min, int max) {
    if (value < min || value > max) {
      throw new GridException(
          setting
              + " must be "
              + (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max)
              + ", not "
              + value);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CodecLimits)) {
      return false;
    }
    CodecLimits other = (CodecLimits) o;
    return maxAttributeSize == other.maxAttributeSize
        && maxCollectionLength == other.maxCollectionLength
        && maxStringLength == other.maxStringLength
        && maxDepth == other.maxDepth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttributeSize, maxCollectionLength, maxStringLength, maxDepth);
  }

  @Override
  public String toString() {
    return MAX_ATTRIBUTE_SIZE
        + "="
        + maxAttributeSize
        + ", "
        + MAX_COLLECTION_LENGTH
        + "="
        + maxCollectionLength
        + ", "
        + MAX_STRING_LENGTH
        + "="
        + maxStringLength
        + ", "
        + MAX_DEPTH
        + "="
        + maxDepth;
  }
}
