package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards {@code getLastAccessedTime}: the creation time on the first request, then the previous
 * request (never the current one), marked at its end or its start ({@link
 * Property#LAST_ACCESSED_TIME_MARK}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface LastAccessedTimeChecks extends ConformanceFixture {

  @Test
  default void lastAccessedTimeOnTheFirstRequestIsTheCreationTime() {
    Reply r = browser().probe("session", "creationTime", "lastAccessedTime");
    assertThat(r.value("lastAccessedTime")).isEqualTo(r.value("creationTime"));
  }

  @Test
  default void lastAccessedTimeIsThePreviousRequestNotThisOne() {
    Browser b = browser();
    long sent1 = System.currentTimeMillis();
    Reply r1 = b.probe("session", "now");
    awaitClockPast(number(r1.value("now")) + 100);
    long sent2 = System.currentTimeMillis();
    Reply r2 = b.probe("existing", "lastAccessedTime", "now");
    long last2 = number(r2.value("lastAccessedTime"));
    assertThat(last2).isBetween(sent1, number(r2.value("now")) - 50);
    awaitClockPast(number(r2.value("now")) + 100);
    Reply r3 = b.probe("existing", "lastAccessedTime", "now");
    long last3 = number(r3.value("lastAccessedTime"));
    assertThat(last3).isBetween(sent2, number(r3.value("now")) - 50).isGreaterThan(last2);
  }

  @Test
  default void lastAccessedTimeMarksThePreviousRequest() {
    Browser b = browser();
    // The first request lasts at least 300 ms, so its start and its end are told apart.
    Reply r1 = b.probe("session", "now", "hold:300", "now");
    long start = number(r1.values("now").get(0));
    long end = number(r1.values("now").get(1));
    awaitClockPast(end + 100);
    long last = number(b.probe("existing", "lastAccessedTime").value("lastAccessedTime"));
    switch (expected(Property.LAST_ACCESSED_TIME_MARK)) {
      case PREVIOUS_REQUEST_END -> assertThat(last).isGreaterThanOrEqualTo(end);
      case PREVIOUS_REQUEST_START -> assertThat(last).isLessThanOrEqualTo(start);
    }
  }
}
