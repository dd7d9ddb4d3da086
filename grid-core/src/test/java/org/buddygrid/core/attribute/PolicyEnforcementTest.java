package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.buddygrid.core.attribute.MalformedAttributeException.Kind;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.buddygrid.core.attribute.refused.Gadget;
import org.junit.jupiter.api.Test;

/** The class policy on both sides: refused at encode with a clear message, and at decode. */
class PolicyEnforcementTest {
  private static final String GADGET = Gadget.class.getName();
  private static final String REFUSAL =
      "Class org.buddygrid.core.attribute.refused.Gadget may not be stored in a replicated"
          + " session: add \"org.buddygrid.core.attribute.refused.Gadget\" or"
          + " \"org.buddygrid.core.attribute.refused.**\" to buddygrid.allow";

  private final AttributeCodec strict = Samples.codec();
  private final AttributeCodec permissive =
      new AttributeCodec(
          ClassPolicy.allowing(Samples.FIXTURES, "org.buddygrid.core.attribute.refused.*"),
          CodecLimits.defaults());

  @Test
  void encodeRefusesAClassOutsideThePolicyNamingItAndTheSetting() {
    assertThatThrownBy(() -> strict.encode("gadget", new Gadget()))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessage(REFUSAL)
        .satisfies(e -> assertThat(((ClassNotAllowedException) e).className()).isEqualTo(GADGET));
  }

  @Test
  void encodeRefusesADisallowedClassDeepInsideAnAllowedValue() {
    Map<String, Object> map = new HashMap<>();
    map.put("cart", Samples.cart(2));
    map.put("nested", new ArrayList<>(List.of(Collections.singletonMap("k", new Gadget[] {null}))));
    assertThatThrownBy(() -> strict.encode("map", map))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessage(REFUSAL);
  }

  @Test
  void encodeRefusesLambdasAndProxiesByTheirOwnName() {
    Supplier<String> lambda = () -> "x";
    assertThatThrownBy(() -> strict.encode("callback", lambda))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining(lambda.getClass().getName())
        .hasMessageContaining("is a lambda or a hidden class and may not be stored");
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Serializable.class}, (p, m, a) -> null);
    assertThatThrownBy(() -> strict.encode("proxy", proxy))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining("is a dynamic proxy and may not be stored");
  }

  @Test
  void encodeRefusesJdkClassesOutsideTheDefaultsSuggestingTheClassOnly() {
    assertThatThrownBy(() -> strict.encode("thread", new StringBuilder("sb")))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessage(
            "Class java.lang.StringBuilder may not be stored in a replicated session: add"
                + " \"java.lang.StringBuilder\" to buddygrid.allow");
  }

  @Test
  void theCodecStaysUsableAfterARefusal() {
    assertThatThrownBy(() -> strict.encode("gadget", new Gadget()))
        .isInstanceOf(ClassNotAllowedException.class);
    Cart cart = Samples.cart(3);
    assertThat(strict.decode(strict.encode("cart", cart))).isEqualTo(cart);
  }

  @Test
  void decodeRefusesAClassOutsideThePolicyWithoutLoadingOrInstantiatingIt() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("cart", Samples.cart(1));
    value.put("gadget", new Gadget());
    byte[] bytes = permissive.encode("value", value);

    // The test can fail: a codec that allows the class does construct it.
    int before = Gadget.CONSTRUCTED.get();
    permissive.decode(bytes);
    assertThat(Gadget.CONSTRUCTED.get()).isEqualTo(before + 1);

    RecordingClassLoader loader = new RecordingClassLoader(getClass().getClassLoader());
    AttributeCodec receiver =
        new AttributeCodec(ClassPolicy.allowing(Samples.FIXTURES), CodecLimits.defaults(), loader);
    before = Gadget.CONSTRUCTED.get();
    assertThatThrownBy(() -> receiver.decode("value", bytes, 0, bytes.length))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessage(
            "Attribute \"value\" ("
                + bytes.length
                + " bytes) was refused: "
                + REFUSAL
                + "; every node of the grid needs the same buddygrid.allow")
        .satisfies(
            e ->
                assertThat(((MalformedAttributeException) e).kind())
                    .isEqualTo(Kind.CLASS_NOT_ALLOWED))
        .hasCauseInstanceOf(ClassNotAllowedException.class);
    assertThat(Gadget.CONSTRUCTED.get()).isEqualTo(before);
    assertThat(loader.requested).doesNotContain(GADGET);
    assertThat(loader.requested).contains(Cart.class.getName());
  }

  @Test
  void decodeRefusesArraysOfADisallowedClassByTheirElement() {
    byte[] bytes = permissive.encode(new Gadget[] {new Gadget()});
    assertThatThrownBy(() -> strict.decode(bytes))
        .isInstanceOf(MalformedAttributeException.class)
        .hasMessageContaining(REFUSAL);
  }

  /** Records every class name it is asked for. */
  static final class RecordingClassLoader extends ClassLoader {
    final List<String> requested = Collections.synchronizedList(new ArrayList<>());

    RecordingClassLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
