package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.buddygrid.core.attribute.fixtures.Holders;
import org.buddygrid.core.attribute.fixtures.Immutable;
import org.buddygrid.core.attribute.fixtures.Node;
import org.buddygrid.core.attribute.fixtures.Records;
import org.buddygrid.core.attribute.fixtures.Tier;
import org.buddygrid.core.attribute.fixtures.UserProfile;
import org.junit.jupiter.api.Test;

/** Classes the policy allows: records, enums, POJOs, with references inside one value. */
class ApplicationTypesRoundTripTest {
  private final AttributeCodec codec = Samples.codec();

  @SuppressWarnings("unchecked")
  private <T> T roundTrip(T value) {
    return (T) codec.decode(codec.encode("value", value));
  }

  @Test
  void recordsRoundTrip() {
    UserProfile profile = Samples.profile();
    assertThat(roundTrip(profile)).isEqualTo(profile);
  }

  @Test
  void recordsOfEveryKindOfComponentRoundTrip() {
    Records.Primitives primitives =
        new Records.Primitives(
            -7, Long.MIN_VALUE, true, 2.5, -1.25f, (short) 300, (byte) -2, 'é', "p");
    assertThat(roundTrip(primitives)).isEqualTo(primitives);
    Records.Mixed mixed =
        new Records.Mixed(
            List.of(1, 2), new StringBuilder("sb").toString(), List.of("t"), Tier.GOLD);
    assertThat(roundTrip(mixed)).isEqualTo(mixed);
    Records.Mixed nulls = new Records.Mixed(null, null, null, null);
    assertThat(roundTrip(nulls)).isEqualTo(nulls);
    assertThat(roundTrip(new Records.Empty())).isEqualTo(new Records.Empty());
  }

  @Test
  void pojosRoundTripWithoutTheirTransientFields() {
    Cart cart = Samples.cart(10);
    assertThat(cart.count()).isEqualTo(10);
    Cart decoded = roundTrip(cart);
    assertThat(decoded).isEqualTo(cart);
    // Not sent: the receiver has what the no-argument constructor set.
    assertThat(decoded.cachedCount()).isEqualTo(-1);
  }

  @Test
  void classesWithoutNoArgumentConstructorRoundTrip() {
    Immutable value = new Immutable("v", 3);
    assertThat(roundTrip(value)).isEqualTo(value);
  }

  @Test
  void enumsKeepTheirIdentity() {
    assertThat(roundTrip(Tier.GOLD)).isSameAs(Tier.GOLD);
    assertThat(roundTrip(new Tier[] {Tier.SILVER, Tier.GOLD}))
        .containsExactly(Tier.SILVER, Tier.GOLD);
  }

  @Test
  void cyclesAndSharedObjectsSurviveInsideOneValue() {
    Node a = new Node("a");
    Node b = new Node("b");
    a.next = b;
    b.next = a;
    Node decoded = roundTrip(a);
    assertThat(decoded.next.label).isEqualTo("b");
    assertThat(decoded.next.next).isSameAs(decoded);
  }

  @Test
  void subclassesInFieldsOfTheirBaseTypeRoundTrip() {
    class Derived extends Holders.Base {}
    AttributeCodec local =
        new AttributeCodec(
            ClassPolicy.allowing(Samples.FIXTURES, "org.buddygrid.core.attribute.*"),
            CodecLimits.defaults());
    Holders.Holder holder = new Holders.Holder();
    holder.item = new Derived();
    Holders.Holder decoded = (Holders.Holder) local.decode(local.encode(holder));
    assertThat(decoded.item).isInstanceOf(Derived.class);
  }

  @Test
  void aWholeSessionMapRoundTrips() {
    Map<String, Object> session = Samples.session();
    Map<String, Object> decoded = roundTrip(session);
    assertThat(decoded.keySet()).containsExactlyElementsOf(session.keySet());
    for (String key : List.of("cart", "profile", "csrfToken", "breadcrumbs", "flags", "hours")) {
      assertThat(decoded.get(key)).as(key).isEqualTo(session.get(key));
    }
  }

  @Test
  void userCollectionsOfAllowedElementsRoundTrip() {
    List<Cart> carts = new ArrayList<>(List.of(Samples.cart(1), Samples.cart(2)));
    assertThat(roundTrip(carts)).isEqualTo(carts);
  }
}
