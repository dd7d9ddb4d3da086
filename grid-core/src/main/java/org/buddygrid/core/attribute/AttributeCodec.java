package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import java.util.Locale;
import java.util.Objects;
import org.buddygrid.core.GridException;
import org.buddygrid.core.attribute.MalformedAttributeException.Kind;

/**
 * Encodes session attribute values to bytes and back, with Kryo, under a {@link ClassPolicy} and
 * {@link CodecLimits}.
 *
 * <p><b>Encoding</b> ({@link #encode(String, Object)}) happens on the node that owns the session.
 * It refuses, with a message naming the attribute or the class and the setting to change, a value
 * that holds a class outside the policy ({@link ClassNotAllowedException}) or that exceeds a limit
 * ({@link AttributeTooLargeException}); nothing is encoded then. It returns a new array of exactly
 * the encoded size. Shared objects and cycles inside one value are kept.
 *
 * <p><b>Decoding</b> ({@link #decode(String, byte[], int, int)}) treats its input as hostile. Every
 * class name is checked against the policy before the class is loaded; every length is checked
 * against the limits and against the bytes left before anything is allocated for it; nesting deeper
 * than the limit is refused; every object field is checked to hold an instance of its declared
 * type. Whatever the bytes, {@code decode} returns a value or throws {@link
 * MalformedAttributeException}, never anything else.
 *
 * <p><b>What round-trips</b>: the JDK types of {@link ClassPolicy#jdkClasses()}, with equality kept
 * and unmodifiable or synchronized collections still so; and the classes the policy allows: records
 * through their canonical constructor (so their validation runs on the receiver too), enums by
 * constant, other classes field by field (transient fields are skipped; no constructor runs for a
 * class without a no-argument one). Two things are not kept: the class of the collection under a
 * {@code Collections.unmodifiable*} or {@code synchronized*} wrapper (an {@code ArrayList}, a
 * {@code LinkedHashSet}, a {@code TreeMap} with the same comparator... takes its place), and the
 * access order of a {@code LinkedHashMap}. An empty {@code EnumMap} needs its key enum to be
 * visible to the codec's class loader.
 *
 * <p>Thread-safe: Kryo instances with their buffers are pooled (lock-free), one per concurrent
 * caller; an instance that failed half-way through a value is dropped, not pooled. Bytes are
 * portable between codecs with the same policy and limits, on any node and JVM of the same
 * BuddyGrid version.
 */
public final class AttributeCodec {
  private static final int POOL_CAPACITY =
      Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
  private static final int MAX_CAUSES = 32;
  private static final String MAX_DEPTH_MESSAGE = "Max depth exceeded";

  private final ClassPolicy policy;
  private final CodecLimits limits;
  private final ClassLoader classLoader;
  private final KryoPool pool;

  /**
   * A codec that loads classes named in received bytes with the thread context class loader of the
   * calling thread (or, if it has none, the loader of this class).
   */
  public AttributeCodec(ClassPolicy policy, CodecLimits limits) {
    this(policy, limits, defaultClassLoader());
  }

  /** A codec that loads classes named in received bytes with {@code classLoader}. */
  public AttributeCodec(ClassPolicy policy, CodecLimits limits, ClassLoader classLoader) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    // Encoding runs on past the size limit, up to this ceiling, to report the size it found.
    int ceiling = (int) Math.min(Integer.MAX_VALUE - 16, 8L * limits.maxAttributeSize());
    this.pool =
        new KryoPool(POOL_CAPACITY, () -> new CodecKryo(policy, limits, classLoader, ceiling));
    // Fails here, not at the first request, if Kryo cannot be set up.
    pool.free(pool.obtain());
  }

  private static ClassLoader defaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : AttributeCodec.class.getClassLoader();
  }

  /** The class policy this codec applies. */
  public ClassPolicy policy() {
    return policy;
  }

  /** The limits this codec applies. */
  public CodecLimits limits() {
    return limits;
  }

  /** The class loader that loads classes named in received bytes. */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * Encodes a value that is not an attribute, or whose name is unknown; as {@link #encode(String,
   * Object)}, with messages that say "Value" where they would name the attribute.
   */
  public byte[] encode(Object value) {
    return encode(null, value);
  }

  /**
   * Encodes the value of attribute {@code attributeName} (used in messages only; may be null).
   * {@code null} encodes to one byte.
   *
   * @return a new array of exactly the encoded size
   * @throws ClassNotAllowedException if the value holds an object of a class the policy does not
   *     allow
   * @throws AttributeTooLargeException if the value is over a limit
   * @throws GridException if the value cannot be encoded for another reason (a field Kryo cannot
   *     read, for instance); the message says which class
   */
  public byte[] encode(String attributeName, Object value) {
    return encode(attributeName, value, null);
  }

  /**
   * Like {@link #encode(String, Object)}, and tells {@code written} of every object the value
   * writes by reference: collections, beans, arrays and records, not strings, boxed primitives or
   * JDK value types. Used to find objects shared by two attributes (each attribute is encoded on
   * its own, so such sharing would not survive a takeover).
   */
  public byte[] encode(
      String attributeName, Object value, java.util.function.Consumer<Object> written) {
    CodecKryo kryo = pool.obtain();
    ValueReferenceResolver resolver = (ValueReferenceResolver) kryo.getReferenceResolver();
    resolver.listener = written;
    try {
      return encodeWith(kryo, attributeName, value);
    } finally {
      resolver.listener = null;
    }
  }

  private byte[] encodeWith(CodecKryo kryo, String attributeName, Object value) {
    int size;
    LimitExceededException exceeded;
    byte[] bytes = null;
    try {
      kryo.writeClassAndObject(kryo.output, value);
      size = kryo.output.position();
      exceeded = kryo.output.exceeded();
      if (size <= limits.maxAttributeSize() && exceeded == null) {
        bytes = kryo.output.toBytes();
      }
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      // The Kryo instance may be half-way through a value: it is dropped, not pooled.
      throw encodeFailure(attributeName, value, e, kryo.output.ceiling());
    }
    kryo.output.release();
    pool.free(kryo);
    if (size > limits.maxAttributeSize()) {
      throw tooLarge(attributeName, size, false);
    }
    if (exceeded != null) {
      throw encodeFailure(attributeName, value, exceeded, 0);
    }
    return bytes;
  }

  /**
   * Decodes bytes made by {@link #encode(String, Object)}; see {@link #decode(String, byte[], int,
   * int)}.
   */
  public Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return decode(null, bytes, 0, bytes.length);
  }

  /**
   * Decodes {@code length} bytes from {@code offset}; see {@link #decode(String, byte[], int,
   * int)}.
   */
  public Object decode(byte[] bytes, int offset, int length) {
    return decode(null, bytes, offset, length);
  }

  /**
   * Decodes {@code length} bytes of {@code bytes} from {@code offset}, which must hold exactly one
   * encoded value, the value of attribute {@code attributeName} (used in messages only; may be
   * null). The array is not modified nor kept.
   *
   * @throws MalformedAttributeException if the bytes are truncated, corrupt, name a class outside
   *     the policy, or claim more than the limits allow; nothing else, whatever the bytes
   * @throws IndexOutOfBoundsException if offset and length do not fit in the array
   */
  public Object decode(String attributeName, byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length > limits.maxAttributeSize()) {
      throw new MalformedAttributeException(
          Kind.LIMIT_EXCEEDED,
          subject(attributeName)
              + " was refused: it is "
              + size(length)
              + ", over "
              + CodecLimits.MAX_ATTRIBUTE_SIZE
              + " ("
              + size(limits.maxAttributeSize())
              + "); every node of the grid needs the same limits",
          null);
    }
    CodecKryo kryo = pool.obtain();
    Object value;
    int left;
    try {
      kryo.input.setBuffer(bytes, offset, length);
      value = kryo.readClassAndObject(kryo.input);
      left = offset + length - kryo.input.position();
    } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
      // The Kryo instance may be half-way through a value: it is dropped, not pooled.
      throw decodeFailure(attributeName, length, e);
    }
    kryo.input.release();
    pool.free(kryo);
    if (left != 0) {
      throw new MalformedAttributeException(
          Kind.MALFORMED,
          subject(attributeName)
              + " ("
              + length
              + " bytes) could not be decoded: "
              + left
              + " bytes follow the value; the bytes are corrupt and were dropped",
          null);
    }
    return value;
  }

  private GridException encodeFailure(String name, Object value, Throwable failure, int ceiling) {
    for (Throwable t = failure, n = null; t != null && t != n; n = t, t = t.getCause()) {
      if (t instanceof ClassNotAllowedException) {
        return (ClassNotAllowedException) t;
      }
      if (t instanceof LimitExceededException) {
        LimitExceededException limit = (LimitExceededException) t;
        return new AttributeTooLargeException(
            name,
            limit.limit.setting,
            subject(name)
                + " holds "
                + limit.getMessage()
                + (limit.limit == LimitExceededException.Limit.STRING_LENGTH
                    ? ": store a reference instead, or raise the limit"
                    : ": split it, or raise the limit"));
      }
      if (t instanceof KryoBufferOverflowException) {
        return tooLarge(name, ceiling, true);
      }
      if (isSelfContaining(t)) {
        return new GridException(
            subject(name)
                + " (a "
                + value.getClass().getName()
                + ") holds a collection or map that contains itself, directly or through other"
                + " collections or maps; no node could hash it: break the cycle",
            failure);
      }
      if (isMaxDepth(t) || t instanceof StackOverflowError) {
        return new AttributeTooLargeException(
            name,
            CodecLimits.MAX_DEPTH,
            subject(name)
                + " nests objects more than "
                + limits.maxDepth()
                + " deep, over "
                + CodecLimits.MAX_DEPTH
                + " ("
                + limits.maxDepth()
                + "): flatten it, or raise the limit");
      }
    }
    return new GridException(
        subject(name)
            + " (a "
            + (value == null ? "null" : value.getClass().getName())
            + ") could not be encoded: "
            + describe(failure)
            + ": store only plain data (no threads, streams, sockets or framework objects) in"
            + " the session",
        failure);
  }

  private MalformedAttributeException decodeFailure(String name, int length, Throwable failure) {
    String refused = subject(name) + " (" + length + " bytes) was refused: ";
    int causes = 0;
    for (Throwable t = failure, n = null;
        t != null && t != n && causes < MAX_CAUSES;
        n = t, t = t.getCause(), causes++) {
      if (t instanceof ClassNotAllowedException) {
        return new MalformedAttributeException(
            Kind.CLASS_NOT_ALLOWED,
            refused
                + t.getMessage()
                + "; every node of the grid needs the same "
                + ClassPolicy.SETTING,
            t);
      }
      if (t instanceof LimitExceededException) {
        return new MalformedAttributeException(
            Kind.LIMIT_EXCEEDED,
            refused
                + "it holds "
                + t.getMessage()
                + "; every node of the grid needs the same limits",
            failure);
      }
      if (isSelfContaining(t)) {
        return new MalformedAttributeException(
            Kind.MALFORMED,
            refused
                + "a collection or map in it contains itself, which no node could hash; the bytes"
                + " are corrupt or hostile and were dropped",
            failure);
      }
      if (isMaxDepth(t)) {
        return new MalformedAttributeException(
            Kind.LIMIT_EXCEEDED,
            refused
                + "it nests objects more than "
                + limits.maxDepth()
                + " deep, over "
                + CodecLimits.MAX_DEPTH
                + "; every node of the grid needs the same limits",
            failure);
      }
      if (t instanceof StackOverflowError) {
        return new MalformedAttributeException(
            Kind.LIMIT_EXCEEDED,
            refused
                + "it nests deeper than this thread's stack allows: lower "
                + CodecLimits.MAX_DEPTH,
            failure);
      }
    }
    return new MalformedAttributeException(
        Kind.MALFORMED,
        subject(name)
            + " ("
            + length
            + " bytes) could not be decoded: "
            + describe(failure)
            + "; the bytes are truncated or corrupt, or were written by another version of the"
            + " application's classes, and were dropped",
        failure);
  }

  private static boolean isSelfContaining(Throwable t) {
    return t instanceof KryoException
        && t.getMessage() != null
        && t.getMessage().startsWith(ValueReferenceResolver.SELF_CONTAINING);
  }

  private static boolean isMaxDepth(Throwable t) {
    return t instanceof KryoException
        && t.getMessage() != null
        && t.getMessage().startsWith(MAX_DEPTH_MESSAGE);
  }

  /**
   * What went wrong, for a message: the first line of the failure's message, then its innermost
   * cause if that says something more; shortened.
   */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    int causes = 0;
    while (root.getCause() != null && root.getCause() != root && causes++ < MAX_CAUSES) {
      root = root.getCause();
    }
    String description = firstLine(failure);
    String rootMessage = root.getMessage();
    if (root != failure && (rootMessage == null || !description.contains(rootMessage))) {
      description += " (" + firstLine(root) + ")";
    }
    if (description.endsWith(".")) {
      description = description.substring(0, description.length() - 1);
    }
    return description.length() > 400 ? description.substring(0, 400) + "..." : description;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null) {
      return t.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    message = newline >= 0 ? message.substring(0, newline) : message;
    return t instanceof KryoException ? message : t.getClass().getSimpleName() + ": " + message;
  }

  private AttributeTooLargeException tooLarge(String name, long size, boolean atLeast) {
    return new AttributeTooLargeException(
        name,
        CodecLimits.MAX_ATTRIBUTE_SIZE,
        subject(name)
            + " is "
            + (atLeast ? "more than " : "")
            + size(size)
            + ", over "
            + CodecLimits.MAX_ATTRIBUTE_SIZE
            + " ("
            + size(limits.maxAttributeSize())
            + "): store a reference instead, or raise the limit");
  }

  private static String subject(String name) {
    return name == null ? "Value" : "Attribute \"" + name + "\"";
  }

  /** A size as people read it: "512 bytes", "3.2 KB", "1 MB" (units of 1024). */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + (bytes == 1 ? " byte" : " bytes");
    }
    double value = bytes;
    String unit = "KB";
    for (String next : new String[] {"MB", "GB"}) {
      if (value < 1024 * 1024) {
        break;
      }
      value /= 1024;
      unit = next;
    }
    value /= 1024;
    String formatted = String.format(Locale.ROOT, "%.1f", value);
    if (formatted.endsWith(".0")) {
      formatted = formatted.substring(0, formatted.length() - 2);
    }
    return formatted + " " + unit;
  }
}
