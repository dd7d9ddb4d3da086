package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.buddygrid.core.attribute.MalformedAttributeException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad-input catalogue rows 3 and 4: length bombs and deep nesting are refused with {@link
 * MalformedAttributeException}, before allocating for them and without overflowing the stack.
 */
class HostileInputTest {
  /** A refusal allocates exceptions and their stack traces; a bomb would allocate gigabytes. */
  private static final long ALLOCATION_BUDGET = 256 * 1024;

  // Kryo writes a class id as id + 2 (0 is null, 1 announces a class name); 1 after a class is
  // "not null, first occurrence" of an object that may be referenced (not strings).
  private static final int STRING = 1 + 2;
  private static final int BYTE_ARRAY = 10 + 2;
  private static final int INT_ARRAY = 13 + 2;
  private static final int STRING_ARRAY = 18 + 2;
  private static final int OBJECT_ARRAY = 19 + 2;
  private static final int ARRAY_LIST = 29 + 2;
  private static final int HASH_SET = 32 + 2;
  private static final int HASH_MAP = 35 + 2;
  private static final int LIST_N = 51 + 2;
  private static final int UNMODIFIABLE_RA_LIST = 59 + 2;
  private static final int NOT_NULL = 1;

  private final AttributeCodec codec = Samples.codec();

  private static byte[] bytes(Consumer<Output> writer) {
    Output output = new Output(64, -1);
    writer.accept(output);
    return output.toBytes();
  }

  /** A class, "not null", then a length written as varint, as arrays and maps do. */
  private static byte[] varintLength(int classId, int lengthPlusOne) {
    return bytes(
        out -> {
          out.writeVarInt(classId, true);
          out.writeByte(NOT_NULL);
          out.writeVarInt(lengthPlusOne, true);
        });
  }

  /** A class, "not null", then a length written as varint flag, as collections do. */
  private static byte[] flagLength(int classId, boolean flag, int lengthPlusOne) {
    return bytes(
        out -> {
          out.writeVarInt(classId, true);
          out.writeByte(NOT_NULL);
          out.writeVarIntFlag(flag, lengthPlusOne, true);
        });
  }

  /** A string: its class then its length as a varint flag (strings are never referenced). */
  private static byte[] stringLength(int lengthPlusOne) {
    return bytes(
        out -> {
          out.writeVarInt(STRING, true);
          out.writeVarIntFlag(true, lengthPlusOne, true);
        });
  }

  static Stream<Arguments> lengthBombs() {
    int huge = Integer.MAX_VALUE; // claims 2^31 - 2 elements
    return Stream.of(
        Arguments.of("ArrayList", flagLength(ARRAY_LIST, false, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of(
            "ArrayList, same type", flagLength(ARRAY_LIST, true, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("HashSet", flagLength(HASH_SET, false, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("HashMap", varintLength(HASH_MAP, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("Object[]", varintLength(OBJECT_ARRAY, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("String[]", varintLength(STRING_ARRAY, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("byte[]", varintLength(BYTE_ARRAY, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("int[]", varintLength(INT_ARRAY, huge), Kind.LIMIT_EXCEEDED),
        Arguments.of("List.of", varintLength(LIST_N, huge - 1), Kind.LIMIT_EXCEEDED),
        Arguments.of(
            "unmodifiableList", varintLength(UNMODIFIABLE_RA_LIST, huge - 1), Kind.LIMIT_EXCEEDED),
        Arguments.of("String", stringLength(huge), Kind.LIMIT_EXCEEDED),
        Arguments.of(
            "class name",
            bytes(
                out -> {
                  out.writeByte(1); // a class name follows
                  out.writeVarInt(0, true); // its name id
                  out.writeVarIntFlag(true, huge, true);
                }),
            Kind.LIMIT_EXCEEDED),
        // Under the limits but more than the few bytes left can hold.
        Arguments.of("HashMap, short input", varintLength(HASH_MAP, 1000), Kind.MALFORMED),
        Arguments.of("Object[], short input", varintLength(OBJECT_ARRAY, 1000), Kind.MALFORMED),
        Arguments.of("byte[], short input", varintLength(BYTE_ARRAY, 1000), Kind.MALFORMED),
        Arguments.of("int[], short input", varintLength(INT_ARRAY, 1000), Kind.MALFORMED),
        Arguments.of("String, short input", stringLength(1000), Kind.MALFORMED),
        Arguments.of("ArrayList, short input", flagLength(ARRAY_LIST, false, 1000), Kind.MALFORMED),
        // Negative lengths (a five-byte varint with the sign bit set).
        Arguments.of("byte[], negative", varintLength(BYTE_ARRAY, -1), Kind.MALFORMED),
        Arguments.of("HashMap, negative", varintLength(HASH_MAP, -5), Kind.MALFORMED),
        Arguments.of("String, negative", stringLength(-7), Kind.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lengthBombs")
  void lengthBombsAreRefusedBeforeAllocating(String shape, byte[] bomb, Kind kind) {
    assertThat(bomb.length).isLessThanOrEqualTo(8);
    // Warm up: load the classes of the refusal path, then put a Kryo back in the pool (a failed
    // decode drops the one it used), so that only the refusal itself is measured.
    try {
      codec.decode(bomb);
    } catch (MalformedAttributeException expected) {
      // measured below
    }
    codec.decode(codec.encode("warm-up", List.of("warm")));

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Throwable refusal = null;
    try {
      codec.decode("bomb", bomb, 0, bomb.length);
    } catch (MalformedAttributeException e) {
      refusal = e;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(refusal).as(shape).isInstanceOf(MalformedAttributeException.class);
    assertThat(((MalformedAttributeException) refusal).kind()).as(shape).isEqualTo(kind);
    assertThat(allocated).as("bytes allocated refusing %s", shape).isLessThan(ALLOCATION_BUDGET);
  }

  @Test
  void lengthRefusalsNameTheLimit() {
    byte[] bomb = stringLength(Integer.MAX_VALUE);
    assertThatThrownBy(() -> codec.decode("note", bomb, 0, bomb.length))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessage(
            "Attribute \"note\" (6 bytes) was refused: it holds a string of 2,147,483,646"
                + " characters, over buddygrid.max-string-length (1,048,576); every node of the"
                + " grid needs the same limits");
  }

  @Test
  void aCollectionOfNullsIsBoundedByTheCollectionLimit() {
    // Kryo writes a list of nulls with no byte per element: only the limit bounds it.
    AttributeCodec small =
        new AttributeCodec(
            ClassPolicy.jdkOnly(), CodecLimits.defaults().withMaxCollectionLength(1000));
    List<Object> nulls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      nulls.add(null);
    }
    byte[] bytes = small.encode(nulls);
    assertThat(bytes.length).isLessThan(10);
    assertThat((List<?>) small.decode(bytes)).hasSize(1000);
    byte[] oneTooMany =
        bytes(
            out -> {
              out.writeVarInt(ARRAY_LIST, true);
              out.writeByte(NOT_NULL);
              out.writeVarIntFlag(true, 1002, true); // same type: all null
              out.writeByte(0);
            });
    assertThatThrownBy(() -> small.decode(oneTooMany))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("a collection, map or array of 1,001 elements, over");
  }

  /**
   * Found by AttributeFuzzTest: collections of nulls take no byte per element, so a value made of
   * many small ones (three bytes each) would decode to a million references per collection. Their
   * nulls are counted together against the collection limit, on both sides.
   */
  @Test
  void collectionsOfNullsAreBoundedTogetherNotEachOnItsOwn() {
    CodecLimits limits = CodecLimits.defaults().withMaxCollectionLength(1000);
    AttributeCodec small = new AttributeCodec(ClassPolicy.jdkOnly(), limits);
    AttributeCodec large =
        new AttributeCodec(ClassPolicy.jdkOnly(), limits.withMaxCollectionLength(100_000));
    List<List<Object>> value = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      value.add(new ArrayList<>(java.util.Collections.nCopies(400, null)));
    }
    byte[] bytes = large.encode(value);
    assertThat(bytes.length).isLessThan(20);
    // Decoding counts the elements the input left cannot hold, a few less than all of them.
    assertThatThrownBy(() -> small.decode(bytes))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("collections of nulls with 1,1")
        .hasMessageContaining("elements in all, over buddygrid.max-collection-length (1,000)");
    assertThatThrownBy(() -> small.encode("nulls", value))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessageContaining("collections of nulls with 1,200 elements in all, over");
    value.remove(2);
    assertThat(small.decode(small.encode(value))).isEqualTo(value);
    // The count is per value: the next value starts from nothing.
    assertThat(small.decode(small.encode(value))).isEqualTo(value);
  }

  /** One level of nesting, repeated: each is a container whose single element is the next. */
  private static byte[] nested(int depth, byte[] level, byte[] end) {
    byte[] bytes = new byte[depth * level.length + end.length];
    for (int i = 0; i < depth; i++) {
      System.arraycopy(level, 0, bytes, i * level.length, level.length);
    }
    System.arraycopy(end, 0, bytes, depth * level.length, end.length);
    return bytes;
  }

  static Stream<Arguments> deepNesting() {
    byte[] nothing = {0};
    return Stream.of(
        // ArrayList: class, not null, flag "mixed types" with length 1 + 1.
        Arguments.of("ArrayList", nested(100_000, new byte[] {ARRAY_LIST, NOT_NULL, 2}, nothing)),
        // Object[]: class, not null, length 1 + 1.
        Arguments.of("Object[]", nested(100_000, new byte[] {OBJECT_ARRAY, NOT_NULL, 2}, nothing)),
        // HashMap: class, not null, length 1 + 1, a null key, then the value.
        Arguments.of("HashMap", nested(100_000, new byte[] {HASH_MAP, NOT_NULL, 2, 0}, nothing)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deepNesting")
  void nestingAHundredThousandDeepIsRefusedAtTheDepthLimit(String shape, byte[] bomb) {
    assertThatThrownBy(() -> codec.decode("deep", bomb, 0, bomb.length))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("nests objects more than 32 deep, over buddygrid.max-depth")
        .satisfies(
            e ->
                assertThat(((MalformedAttributeException) e).kind())
                    .isEqualTo(Kind.LIMIT_EXCEEDED));
  }

  @Test
  void deepNestingIsRefusedEvenOnASmallThreadStack() throws InterruptedException {
    byte[] bomb = nested(100_000, new byte[] {ARRAY_LIST, NOT_NULL, 2}, new byte[] {0});
    AttributeCodec deepest =
        new AttributeCodec(
            ClassPolicy.jdkOnly(),
            CodecLimits.defaults().withMaxDepth(CodecLimits.MAX_DEPTH_CEILING));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                deepest.decode(bomb);
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join(60_000);
    assertThat(small.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(MalformedAttributeException.class);
  }

  @Test
  void inputOverTheSizeLimitIsRefusedUnread() {
    AttributeCodec small =
        new AttributeCodec(ClassPolicy.jdkOnly(), CodecLimits.defaults().withMaxAttributeSize(100));
    byte[] big = Samples.codec().encode(new byte[200]);
    assertThatThrownBy(() -> small.decode("upload", big, 0, big.length))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessage(
            "Attribute \"upload\" was refused: it is "
                + big.length
                + " bytes, over buddygrid.max-attribute-size (100 bytes); every node of the grid"
                + " needs the same limits");
  }

  @Test
  void trailingBytesAndEmptyInputAreMalformed() {
    byte[] value = codec.encode("x");
    byte[] longer = new byte[value.length + 1];
    System.arraycopy(value, 0, longer, 0, value.length);
    assertThatThrownBy(() -> codec.decode(longer))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("1 bytes follow the value");
    assertThatThrownBy(() -> codec.decode(new byte[0]))
        .isInstanceOf(MalformedAttributeException.class)
        .satisfies(
            e -> assertThat(((MalformedAttributeException) e).kind()).isEqualTo(Kind.MALFORMED));
  }

  @Test
  void unknownClassIdsAndUnknownClassNamesAreMalformed() {
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 120, NOT_NULL}))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("unregistered class ID");
    byte[] unknown =
        bytes(
            out -> {
              out.writeByte(1);
              out.writeVarInt(0, true);
              out.writeString("org.buddygrid.core.attribute.fixtures.NoSuchClass");
              out.writeByte(NOT_NULL);
            });
    assertThatThrownBy(() -> codec.decode(unknown))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining(
            "Unable to find class: org.buddygrid.core.attribute.fixtures.NoSuchClass");
  }

  /**
   * Found by {@code AttributeFuzzTest}: fourteen bytes made an unmodifiable set whose backing set
   * holds it, and hashing it recursed until the stack overflowed. A reference back to a collection
   * still being read is refused first.
   */
  @Test
  void aCollectionReferringBackToItselfIsRefusedBeforeAnythingHashesIt() {
    byte[] input = java.util.Base64.getDecoder().decode("PgECPgECA4JiYQOCYmE=");
    assertThatThrownBy(() -> codec.decode("fuzz", input, 0, input.length))
        .isInstanceOfSatisfying(
            MalformedAttributeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t).isNotInstanceOf(StackOverflowError.class);
              }
            })
        .hasMessageContaining("contains itself");
  }

  @Test
  void aCollectionThatContainsItselfIsRefusedAtEncodeAndSharedOnesStillRoundTrip() {
    List<Object> list = new ArrayList<>();
    list.add("x");
    list.add(list);
    assertThatThrownBy(() -> codec.encode("loop", list))
        .isInstanceOf(org.buddygrid.core.GridException.class)
        .hasMessageContaining("Attribute \"loop\"")
        .hasMessageContaining("contains itself")
        .hasMessageContaining("break the cycle");
    java.util.Set<Object> backing = new java.util.HashSet<>();
    java.util.Set<Object> wrapper = java.util.Collections.unmodifiableSet(backing);
    backing.add(java.util.List.of(wrapper));
    assertThatThrownBy(() -> codec.encode("loop", wrapper)).hasMessageContaining("contains itself");

    List<String> shared = new ArrayList<>(List.of("a", "b"));
    java.util.Map<String, Object> twice = new java.util.HashMap<>();
    twice.put("first", shared);
    twice.put("second", shared);
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> back =
        (java.util.Map<String, Object>) codec.decode(codec.encode("s", twice));
    assertThat(back.get("first")).isEqualTo(shared).isSameAs(back.get("second"));
  }
}
