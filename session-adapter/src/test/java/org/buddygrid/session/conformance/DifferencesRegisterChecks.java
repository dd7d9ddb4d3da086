package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the differences register itself: every {@link Property} names checks of the suite that
 * exist, and every difference a mode declares has a reason and is about checks this test class
 * runs. Without it a renamed check could leave a declared difference pointing at nothing.
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
  default void everyDeclaredDifferenceHasAReasonAndIsChecked() {
    Set<String> run = checksOf(getClass());
    for (Differences.Difference d : mode().differences().list()) {
      assertThat(Property.all()).contains(d.property());
      assertThat(d.reason()).isNotBlank();
      assertThat(d.modeValue()).isNotEqualTo(d.property().referenceValue());
      assertThat(run).as("checks deciding %s", d.property()).containsAll(d.property().checks());
      System.out.printf(
          "[%s] differs in %s: %s instead of %s, because %s%n",
          mode().name(), d.property(), d.modeValue(), d.property().referenceValue(), d.reason());
    }
  }
}
