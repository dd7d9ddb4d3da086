package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.buddygrid.core.GridException;
import org.buddygrid.core.attribute.fixtures.Cart;
import org.buddygrid.core.attribute.fixtures.Holders;
import org.buddygrid.core.attribute.fixtures.Tier;
import org.buddygrid.core.attribute.refused.Gadget;
import org.junit.jupiter.api.Test;

class ClassPolicyTest {

  @Test
  void jdkOnlyAllowsJdkValueTypesAndNothingElse() {
    ClassPolicy policy = ClassPolicy.jdkOnly();
    assertThat(policy.isAllowed(String.class)).isTrue();
    assertThat(policy.isAllowed(Integer.class)).isTrue();
    assertThat(policy.isAllowed(int.class)).isTrue();
    assertThat(policy.isAllowed(ArrayList.class)).isTrue();
    assertThat(policy.isAllowed(List.of(1, 2, 3).getClass())).isTrue();
    assertThat(policy.isAllowed(java.time.ZoneId.of("Europe/Paris").getClass())).isTrue();
    assertThat(policy.isAllowed(long[][].class)).isTrue();
    assertThat(policy.isAllowed(String[].class)).isTrue();
    assertThat(policy.isAllowed(Cart.class)).isFalse();
    assertThat(policy.isAllowed(Thread.class)).isFalse();
    assertThat(policy.isAllowed(ProcessBuilder.class)).isFalse();
    assertThat(policy.isAllowed(Object.class)).isFalse();
    assertThat(policy.patterns()).isEmpty();
  }

  @Test
  void exactClassPatternAllowsThatClassOnly() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.core.attribute.fixtures.Cart");
    assertThat(policy.isAllowed(Cart.class)).isTrue();
    assertThat(policy.isAllowed(Cart[].class)).isTrue();
    assertThat(policy.isAllowed(Tier.class)).isFalse();
    assertThat(policy.isAllowed(Holders.Holder.class)).isFalse();
  }

  @Test
  void packagePatternAllowsItsClassesAndNestedClassesButNotSubpackages() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.core.attribute.fixtures.*");
    assertThat(policy.isAllowed(Cart.class)).isTrue();
    assertThat(policy.isAllowed(Holders.Holder.class)).isTrue();
    assertThat(policy.isAllowed("org.buddygrid.core.attribute.fixtures.sub.Thing")).isFalse();
    assertThat(policy.isAllowed("org.buddygrid.core.attribute.fixturesX.Thing")).isFalse();
    assertThat(policy.isAllowed(Gadget.class)).isFalse();
  }

  @Test
  void packageTreePatternAllowsSubpackagesOnly() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.core.attribute.fixtures.**");
    assertThat(policy.isAllowed(Cart.class)).isTrue();
    assertThat(policy.isAllowed("org.buddygrid.core.attribute.fixtures.sub.deeper.Thing")).isTrue();
    assertThat(policy.isAllowed("org.buddygrid.core.attribute.fixturesX.Thing")).isFalse();
    assertThat(policy.isAllowed("org.buddygrid.core.attribute.Cart")).isFalse();
  }

  @Test
  void enumsWithConstantBodiesFollowTheirEnum() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.core.attribute.fixtures.Tier");
    assertThat(policy.isAllowed(Tier.class)).isTrue();
    assertThat(Tier.GOLD.getClass()).isNotEqualTo(Tier.class);
    assertThat(Samples.codec().decode(Samples.codec().encode(Tier.GOLD))).isSameAs(Tier.GOLD);
  }

  @Test
  void arrayNamesAreJudgedByTheirElement() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.core.attribute.fixtures.**");
    assertThat(policy.isAllowed("[Lorg.buddygrid.core.attribute.fixtures.Cart;")).isTrue();
    assertThat(policy.isAllowed("[[Lorg.buddygrid.core.attribute.fixtures.Cart;")).isTrue();
    assertThat(policy.isAllowed("[Lorg.buddygrid.core.attribute.refused.Gadget;")).isFalse();
    assertThat(policy.isAllowed("[[I")).isTrue();
    assertThat(policy.isAllowed("[Q")).isFalse();
    assertThat(policy.isAllowed("[L;")).isFalse();
    assertThat(policy.isAllowed("[L[I;")).isFalse();
    assertThat(policy.isAllowed("")).isFalse();
  }

  @Test
  void lambdasAndProxiesAreNeverAllowed() {
    ClassPolicy policy = ClassPolicy.allowing("org.buddygrid.**", "jdk.proxy1.**");
    Supplier<String> lambda = () -> "x";
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Serializable.class}, (p, m, a) -> null);
    assertThat(policy.isAllowed(lambda.getClass())).isFalse();
    assertThat(policy.isAllowed(proxy.getClass())).isFalse();
  }

  @Test
  void parseSplitsOnCommasAndWhiteSpace() {
    ClassPolicy policy =
        ClassPolicy.parse(" com.example.shop.** ,com.example.auth.UserProfile\n com.example.x.* ");
    assertThat(policy.patterns())
        .containsExactly("com.example.shop.**", "com.example.auth.UserProfile", "com.example.x.*");
    assertThat(ClassPolicy.parse("  ")).isSameAs(ClassPolicy.jdkOnly());
    assertThat(ClassPolicy.allowing("a.B", "a.B")).isEqualTo(ClassPolicy.allowing("a.B"));
  }

  @Test
  void refusesPatternsThatAreNotClassesOrPackages() {
    for (String bad :
        List.of("com.*.Foo", "com.example.Foo*", ".Foo", "com..Foo", "1com.Foo", "")) {
      assertThatThrownBy(() -> ClassPolicy.allowing(bad))
          .isInstanceOf(GridException.class)
          .hasMessage(
              "Pattern \""
                  + bad
                  + "\" in buddygrid.allow is neither a class (\"com.example.Cart\"), a package"
                  + " (\"com.example.*\") nor a package with its subpackages (\"com.example.**\")");
    }
  }

  @Test
  void refusesPatternsThatAllowEverything() {
    assertThatThrownBy(() -> ClassPolicy.parse("com.example.**, **"))
        .isInstanceOf(GridException.class)
        .hasMessageStartingWith("Pattern \"**\" in buddygrid.allow would allow every class");
    assertThatThrownBy(() -> ClassPolicy.allowing("*")).isInstanceOf(GridException.class);
  }

  @Test
  void everyRegisteredJdkTypeIsAllowedByClassAndByName() {
    ClassPolicy policy = ClassPolicy.jdkOnly();
    for (String name : ClassPolicy.jdkClasses()) {
      assertThat(policy.isAllowed(name)).as(name).isTrue();
    }
    assertThat(ClassPolicy.jdkClasses())
        .contains(
            "java.util.UUID",
            "java.util.concurrent.atomic.AtomicLong",
            "java.util.EnumMap",
            "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$SynchronizedMap",
            "java.util.ImmutableCollections$ListN",
            "java.time.LocalDate");
  }
}
