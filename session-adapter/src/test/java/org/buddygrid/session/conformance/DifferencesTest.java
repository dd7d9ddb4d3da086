package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the rules of a differences register: a difference needs a reason, must differ from the
 * reference, is declared once, and decides what checks expect.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DifferencesTest {

  @Test
  void undeclaredPropertiesExpectTheReferenceValue() {
    for (Property<?> p : Property.all()) {
      assertThat(Differences.none().expected(p)).isEqualTo(p.referenceValue());
    }
    assertThat(Differences.none().isEmpty()).isTrue();
  }

  @Test
  void aDeclaredDifferenceDecidesTheExpectationAndIsListed() {
    Differences d = Differences.none().with(Property.URL_SESSION_TRACKING, false, "cookies only");
    assertThat(d.expected(Property.URL_SESSION_TRACKING)).isFalse();
    assertThat(d.expected(Property.LAST_ACCESSED_TIME_MARK))
        .isEqualTo(Property.LastAccessMark.PREVIOUS_REQUEST_END);
    assertThat(d.list())
        .containsExactly(
            new Differences.Difference(Property.URL_SESSION_TRACKING, false, "cookies only"));
    assertThat(Differences.none().isEmpty()).as("none() is not changed").isTrue();
  }

  @Test
  void aDifferenceWithoutReasonIsRefused() {
    assertThatThrownBy(() -> Differences.none().with(Property.URL_SESSION_TRACKING, false, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void theReferenceValueIsNoDifference() {
    assertThatThrownBy(() -> Differences.none().with(Property.URL_SESSION_TRACKING, true, "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference");
  }

  @Test
  void aPropertyIsDeclaredOnce() {
    Differences once = Differences.none().with(Property.URL_SESSION_TRACKING, false, "one");
    assertThatThrownBy(() -> once.with(Property.URL_SESSION_TRACKING, false, "two"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }
}
