package org.buddygrid.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdTest {
  private final SessionIdGenerator generator = new SessionIdGenerator();

  @Test
  void generatedIdsCarryAtLeast128BitsInAUrlSafeAlphabet() {
    SessionId id = generator.newId("node1");
    assertThat(id.base()).hasSize(24).matches("[A-Za-z0-9_-]+");
    assertThat(SessionIdGenerator.RANDOM_BYTES * 8).isGreaterThanOrEqualTo(128);
    assertThat(id.toString()).isEqualTo(id.base() + ".node1");
    assertThat(SessionId.parse(id.toString())).contains(id);
  }

  @Test
  void generatedIdsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(generator.newBase())).isTrue();
    }
  }

  @Test
  void takeoverRewritesOnlyTheRoute() {
    SessionId id = generator.newId("node1");
    SessionId moved = id.withRoute("node2");
    assertThat(moved.base()).isEqualTo(id.base());
    assertThat(moved.toString()).endsWith(".node2");
    assertThat(id.withRoute("node1")).isSameAs(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "abc.node1",
        "AAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAA.",
        ".node1",
        "AAAAAAAAAAAAAAAAAAAAAAAA.node1\r\nSet-Cookie: x=y",
        "AAAAAAAAAAAAAAAAAAAAAAAA.node 1",
        "AAAAAAAAAAAAAAAAAAAA+/AA.node1",
        "AAAAAAAAAAAAAAAAAAAAAAAA.node1.node2",
        "AAAAAAAAAAAAAAAAAAAAAAAA.node1;",
        "\"AAAAAAAAAAAAAAAAAAAAAAAA.node1\"",
        "AAAAAAAAAAAAAAAAAAAAAAAA.node1%0d%0a",
        "AAAAAAAAAAAAAAAAAAAAAAAA.this-route-is-far-too-long-for-a-route",
        "AAAAAAAAAAAAAAAAAAAAAAAA\u0000.node1",
        "ÄAAAAAAAAAAAAAAAAAAAAAAA.node1"
      })
  void clientSuppliedIdsThatAreNotExactlyBaseDotRouteAreRefused(String value) {
    assertThat(SessionId.parse(value)).isEmpty();
  }

  @Test
  void overlongIdsAreRefusedWhateverTheirContent() {
    assertThat(SessionId.parse("A".repeat(10_000) + ".node1")).isEmpty();
    assertThat(SessionId.parse(null)).isEmpty();
  }

  @Test
  void constructorRefusesBadParts() {
    assertThatThrownBy(() -> new SessionId("short", "node1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionId("A".repeat(24), "bad.route"))
        .hasMessageContaining("route");
  }
}
