package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.DecodeBounds;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link AttributeCodec#decode}, with the test fixtures allowed
 * (records, enums, POJOs, collections, maps, arrays) and default limits. For any bytes: decoding
 * returns a value or throws {@link MalformedAttributeException}, nothing else (no {@link
 * OutOfMemoryError}, no {@link StackOverflowError}); it allocates at most a fixed amount plus a
 * small multiple of the input's size, so no length or count is trusted before it is checked against
 * the input; a decoded value encodes to bytes that decode and encode again to as many bytes (the
 * same bytes but for the order of hashed collections whose elements hash by identity).
 *
 * <p>{@code DecodeFuzzTest} does the same with fixed mutations of one session; this test finds its
 * own inputs.
 */
class AttributeFuzzTest {
  /**
   * Default limits but for the collection length: the nulls of all-null collections take no input
   * byte, so they are bounded by that limit (for the whole value) instead of by the input; a small
   * limit keeps them inside the allocation bound. {@code HostileInputTest} checks the limit itself.
   */
  private final AttributeCodec codec =
      new AttributeCodec(
          ClassPolicy.allowing(Samples.FIXTURES),
          CodecLimits.defaults().withMaxCollectionLength(4096));

  private static final DecodeBounds BOUNDS = DecodeBounds.of(256 << 10, 64);

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void decode(byte[] bytes) {
    Object value;
    try {
      value = BOUNDS.check(bytes.length, () -> codec.decode("fuzz", bytes, 0, bytes.length));
    } catch (MalformedAttributeException refused) {
      assertThat(refused.kind()).isNotNull();
      return;
    }
    byte[] encoded = codec.encode("fuzz", value);
    // Same size, not the same bytes: a hashed collection of objects that hash by identity (a
    // fixture
    // without hashCode) iterates in another order in each copy (fuzzer input crash-95bde6d9...).
    byte[] again = codec.encode("fuzz", codec.decode(encoded));
    assertThat(again).hasSameSizeAs(encoded);
    assertThat(codec.encode("fuzz", codec.decode(again))).hasSameSizeAs(encoded);
  }
}
