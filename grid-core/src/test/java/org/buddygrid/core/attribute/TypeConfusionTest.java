package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.buddygrid.core.attribute.fixtures.Holders;
import org.buddygrid.core.attribute.fixtures.Records;
import org.junit.jupiter.api.Test;

/**
 * Kryo stores field values with Unsafe, unchecked: bytes that put an object of one allowed class
 * into a field (or record component) declared as another must be refused, not produce an object
 * whose field lies about its type.
 */
class TypeConfusionTest {
  private final AttributeCodec codec = Samples.codec();

  @Test
  void aFieldGivenAnObjectOfAnotherClassIsRefused() {
    byte[] withNull = codec.encode(new Holders.Holder());
    // The field is written last: its class, here null (0). Put a String there instead: class id 1
    // (written as 3), then "abc" in Kryo's ASCII form.
    assertThat(withNull[withNull.length - 1]).isZero();
    byte[] forged = Arrays.copyOf(withNull, withNull.length + 3);
    System.arraycopy(
        new byte[] {3, 'a', 'b', (byte) ('c' | 0x80)}, 0, forged, withNull.length - 1, 4);
    assertThatThrownBy(() -> codec.decode(forged))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining(
            "Field org.buddygrid.core.attribute.fixtures.Holders$Holder.item of type"
                + " org.buddygrid.core.attribute.fixtures.Holders$Base was given a java.lang.String");
  }

  @Test
  void aRecordComponentGivenAnObjectOfAnotherClassIsRefused() {
    byte[] withNull = codec.encode(new Records.Labelled(null));
    // The component is written last: its class, here null (0). Put an Integer there instead:
    // class id 0 (written as 2), then 7 as a zigzag varint (14).
    assertThat(withNull[withNull.length - 1]).isZero();
    byte[] forged = Arrays.copyOf(withNull, withNull.length + 1);
    forged[withNull.length - 1] = 2;
    forged[withNull.length] = 14;
    assertThatThrownBy(() -> codec.decode(forged))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining(
            "A component of record org.buddygrid.core.attribute.fixtures.Records$Labelled has the"
                + " wrong type");
  }

  @Test
  void aRecordsOwnValidationRunsOnTheReceiver() {
    byte[] bytes = codec.encode(new Records.Percent(7));
    assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 14); // 7 as a zigzag varint
    byte[] forged = bytes.clone();
    forged[forged.length - 1] = 1; // -1
    assertThatThrownBy(() -> codec.decode(forged))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("IllegalArgumentException: not a percentage: -1");
  }

  @Test
  void aFieldGivenABackReferenceToAnObjectOfAnotherClassIsRefused() {
    Holders.TwoFields value = new Holders.TwoFields();
    value.a = new ArrayList<>(List.of("text"));
    value.b = new Holders.Base();
    byte[] bytes = codec.encode(value);
    assertThat(codec.decode(bytes)).isInstanceOf(Holders.TwoFields.class);
    // Field b ends with its "not null" marker (1), Base having no fields. Make it a reference to
    // object 1, the list of field a (written as 1 + 2).
    assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 1);
    byte[] forged = bytes.clone();
    forged[forged.length - 1] = 3;
    assertThatThrownBy(() -> codec.decode(forged))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining("Holders$TwoFields.b of type")
        .hasMessageContaining("was given a java.util.ArrayList");
  }
}
