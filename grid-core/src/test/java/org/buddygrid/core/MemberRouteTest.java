package org.buddygrid.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Route validation accepts exactly what the documented pattern {@code [A-Za-z0-9_-]{1,32}} does (it
 * is a loop, for the session ids every request carries).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemberRouteTest {
  private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  @Test
  void edgesOfTheAlphabetAndOfTheLength() {
    assertThat(Member.isValidRoute("node1")).isTrue();
    assertThat(Member.isValidRoute("A-z_0-9")).isTrue();
    assertThat(Member.isValidRoute("x".repeat(32))).isTrue();
    assertThat(Member.isValidRoute("x".repeat(33))).isFalse();
    assertThat(Member.isValidRoute("")).isFalse();
    assertThat(Member.isValidRoute(null)).isFalse();
    for (String bad : List.of("@", "[", "`", "{", "/", ":", ".", " ", "é", "\u0661", "a\nb")) {
      assertThat(Member.isValidRoute("a" + bad)).as(bad).isFalse();
    }
    assertThatThrownBy(() -> Member.requireValidRoute("node.1"))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("\"node.1\" is not valid");
    assertThat(Member.requireValidRoute("node1")).isEqualTo("node1");
  }

  @Test
  void agreesWithTheDocumentedPatternOnRandomStrings() {
    Random random = new Random(42);
    List<String> samples = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(36);
      StringBuilder b = new StringBuilder(length);
      for (int k = 0; k < length; k++) {
        // Mostly ASCII around the allowed ranges, sometimes any BMP character.
        b.append(
            random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(128));
      }
      samples.add(b.toString());
    }
    for (String s : samples) {
      assertThat(Member.isValidRoute(s)).as("%s", s).isEqualTo(DOCUMENTED.matcher(s).matches());
    }
  }
}
