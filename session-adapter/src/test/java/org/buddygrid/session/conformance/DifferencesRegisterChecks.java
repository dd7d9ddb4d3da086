package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the differences register itself: every {@link Property} names checks of the suite that
 * exist, and each property is expected either as the mode declares it (with a reason, about checks
 * this test class runs) or as the reference has it. Without it a renamed check could leave a
 * declared difference pointing at nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface DifferencesRegisterChecks extends ConformanceFixture {

  private static Set<String> checksOf(Class<?> testClass) {
    return Arrays.stream(testClass.getMethods())
        .filter(m -> m.isAnnotationPresent(Test.class))
        .map(Method::getName)
        .collect(Collectors.toSet());
  }

  @Test
  default void everyPropertyDecidesChecksOfTheSuite() {
    Set<String> suite = checksOf(SessionConformanceSuite.class);
    for (Property<?> p : Property.all()) {
      assertThat(p.checks()).as(p.name()).isNotEmpty();
      assertThat(suite).as(p.name()).containsAll(p.checks());
    }
  }

  @Test
  default void everyPropertyIsExpectedAsDeclaredOrAsTheReference() {
    Differences register = mode().differences();
    Set<String> run = checksOf(getClass());
    for (Property<?> p : Property.all()) {
      Optional<Differences.Difference> declared =
          register.list().stream().filter(d -> d.property() == p).findFirst();
      if (declared.isEmpty()) {
        assertThat(expected(p)).as(p.name()).isEqualTo(p.referenceValue());
        continue;
      }
      Differences.Difference d = declared.get();
      assertThat(d.reason()).as(p.name()).isNotBlank();
      assertThat(expected(p))
          .as(p.name())
          .isEqualTo(d.modeValue())
          .isNotEqualTo(p.referenceValue());
      assertThat(run).as("the checks %s decides", p.name()).containsAll(p.checks());
      System.out.printf(
          "[%s] differs in %s: %s instead of %s, because %s%n",
          mode().name(), p, d.modeValue(), p.referenceValue(), d.reason());
    }
    assertThat(Property.all())
        .containsAll(register.list().stream().map(Differences.Difference::property).toList());
  }
}
