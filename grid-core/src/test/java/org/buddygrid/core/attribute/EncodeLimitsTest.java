package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.buddygrid.core.attribute.fixtures.Node;
import org.junit.jupiter.api.Test;

/** The owner refuses what its backups would refuse, with a message that says what to do. */
class EncodeLimitsTest {

  @Test
  void aValueOverTheSizeLimitIsRefusedWithItsSize() {
    AttributeCodec codec = Samples.codec();
    byte[] report = new byte[3_355_443]; // 3.2 MiB
    assertThatThrownBy(() -> codec.encode("report", report))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessage(
            "Attribute \"report\" is 3.2 MB, over buddygrid.max-attribute-size (1 MB): store a"
                + " reference instead, or raise the limit")
        .satisfies(
            e -> {
              AttributeTooLargeException tooLarge = (AttributeTooLargeException) e;
              assertThat(tooLarge.attributeName()).isEqualTo("report");
              assertThat(tooLarge.setting()).isEqualTo("buddygrid.max-attribute-size");
            });
  }

  @Test
  void aValueFarOverTheSizeLimitIsRefusedWithoutEncodingItAll() {
    AttributeCodec codec =
        new AttributeCodec(
            ClassPolicy.jdkOnly(), CodecLimits.defaults().withMaxAttributeSize(1000));
    assertThatThrownBy(() -> codec.encode("blob", new byte[100_000]))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessage(
            "Attribute \"blob\" is more than 7.8 KB, over buddygrid.max-attribute-size (1000"
                + " bytes): store a reference instead, or raise the limit");
  }

  @Test
  void aValueAtTheSizeLimitIsAccepted() {
    AttributeCodec codec =
        new AttributeCodec(
            ClassPolicy.jdkOnly(), CodecLimits.defaults().withMaxAttributeSize(1004));
    assertThat(codec.encode(new byte[1000])).hasSize(1004);
    assertThatThrownBy(() -> codec.encode(new byte[1001]))
        .hasMessageStartingWith("Value is 1005 bytes, over buddygrid.max-attribute-size");
  }

  @Test
  void aCollectionOverTheLengthLimitIsRefused() {
    AttributeCodec codec =
        new AttributeCodec(
            ClassPolicy.allowing(Samples.FIXTURES),
            CodecLimits.defaults().withMaxCollectionLength(5));
    assertThatThrownBy(() -> codec.encode("cart", Samples.cart(6)))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessage(
            "Attribute \"cart\" holds a collection, map or array of 6 elements, over"
                + " buddygrid.max-collection-length (5): split it, or raise the limit");
    assertThatThrownBy(() -> codec.encode("ids", new long[6]))
        .hasMessageContaining("array of 6 elements");
    assertThatThrownBy(
            () -> codec.encode("nulls", new ArrayList<>(Collections.nCopies(6, (Object) null))))
        .hasMessageContaining("6 elements");
    assertThatThrownBy(() -> codec.encode("fixed", List.of(1, 2, 3, 4, 5, 6)))
        .hasMessageContaining("6 elements");
    Cart five = Samples.cart(5);
    assertThat(codec.decode(codec.encode("cart", five))).isEqualTo(five);
  }

  @Test
  void aStringOverTheLengthLimitIsRefused() {
    AttributeCodec codec =
        new AttributeCodec(ClassPolicy.jdkOnly(), CodecLimits.defaults().withMaxStringLength(100));
    assertThatThrownBy(() -> codec.encode("note", "x".repeat(101)))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessage(
            "Attribute \"note\" holds a string of 101 characters, over"
                + " buddygrid.max-string-length (100): store a reference instead, or raise the"
                + " limit");
    assertThat(codec.decode(codec.encode("x".repeat(100)))).isEqualTo("x".repeat(100));
  }

  @Test
  void theSizeLimitIsReportedBeforeTheLengthLimits() {
    AttributeCodec codec = Samples.codec();
    String huge = "y".repeat(2 * 1024 * 1024);
    assertThatThrownBy(() -> codec.encode("text", huge))
        .hasMessageStartingWith("Attribute \"text\" is 2 MB, over buddygrid.max-attribute-size");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    AttributeCodec codec = Samples.codec();
    assertThat(codec.decode(codec.encode("shallow", Node.chain(10)))).isInstanceOf(Node.class);
    assertThatThrownBy(() -> codec.encode("chain", Node.chain(1000)))
        .isInstanceOf(AttributeTooLargeException.class)
        .hasMessage(
            "Attribute \"chain\" nests objects more than 32 deep, over buddygrid.max-depth (32):"
                + " flatten it, or raise the limit");
  }

  @Test
  void valuesThatKryoCannotCopyFieldByFieldAreRefusedNamingTheirClass() {
    AttributeCodec codec =
        new AttributeCodec(ClassPolicy.allowing("java.lang.Thread"), CodecLimits.defaults());
    assertThatThrownBy(() -> codec.encode("worker", new Thread()))
        .isExactlyInstanceOf(org.buddygrid.core.GridException.class)
        .hasMessageStartingWith("Attribute \"worker\" (a java.lang.Thread) could not be encoded: ")
        .hasMessageEndingWith(
            ": store only plain data (no threads, streams, sockets or framework objects) in the"
                + " session");
  }

  @Test
  void sizesReadAsPeopleReadThem() {
    assertThat(AttributeCodec.size(1)).isEqualTo("1 byte");
    assertThat(AttributeCodec.size(1023)).isEqualTo("1023 bytes");
    assertThat(AttributeCodec.size(1024)).isEqualTo("1 KB");
    assertThat(AttributeCodec.size(1536)).isEqualTo("1.5 KB");
    assertThat(AttributeCodec.size(1 << 20)).isEqualTo("1 MB");
    assertThat(AttributeCodec.size(3L << 30)).isEqualTo("3 GB");
  }
}
