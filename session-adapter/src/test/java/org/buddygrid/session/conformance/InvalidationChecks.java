package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards an invalidated session object: the methods the Servlet API says throw {@link
 * IllegalStateException} do, the ones that need no live session still work, and {@code
 * getSession(false)} no longer finds it. Each check invalidates and then calls the method in the
 * same request, on the same {@code HttpSession} object.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface InvalidationChecks extends ConformanceFixture {

  private String afterInvalidate(String op) {
    Reply r = browser().probe("session", "set:a:1", "invalidate", op);
    assertThat(r.value("invalidate")).isEqualTo("ok");
    return r.value(op);
  }

  @Test
  default void getAttributeAfterInvalidateThrows() {
    assertThat(afterInvalidate("get:a")).isEqualTo("ISE");
  }

  @Test
  default void setAttributeAfterInvalidateThrows() {
    assertThat(afterInvalidate("set:b:2")).isEqualTo("ISE");
  }

  @Test
  default void removeAttributeAfterInvalidateThrows() {
    assertThat(afterInvalidate("remove:a")).isEqualTo("ISE");
  }

  @Test
  default void getAttributeNamesAfterInvalidateThrows() {
    assertThat(afterInvalidate("names")).isEqualTo("ISE");
  }

  @Test
  default void getCreationTimeAfterInvalidateThrows() {
    assertThat(afterInvalidate("creationTime")).isEqualTo("ISE");
  }

  @Test
  default void getLastAccessedTimeAfterInvalidateThrows() {
    assertThat(afterInvalidate("lastAccessedTime")).isEqualTo("ISE");
  }

  @Test
  default void isNewAfterInvalidateThrows() {
    assertThat(afterInvalidate("isNew")).isEqualTo("ISE");
  }

  @Test
  default void invalidateTwiceThrows() {
    Reply r = browser().probe("session", "invalidate", "invalidate");
    assertThat(r.values("invalidate")).containsExactly("ok", "ISE");
  }

  @Test
  default void getIdAndServletContextStillWorkAfterInvalidate() {
    Reply r = browser().probe("session", "invalidate", "id", "contextPath");
    assertThat(r.value("id")).isEqualTo(r.value("session"));
    assertThat(r.value("contextPath")).isEqualTo(ConformanceServer.CONTEXT_PATH);
  }

  @Test
  default void setMaxInactiveIntervalAfterInvalidate() {
    Reply r = browser().probe("session", "invalidate", "setMaxInactive:77", "maxInactive");
    switch (expected(Property.SET_MAX_INACTIVE_INTERVAL_AFTER_INVALIDATE)) {
      case ACCEPTED -> {
        assertThat(r.value("setMaxInactive:77")).isEqualTo("ok");
        assertThat(r.value("maxInactive")).isEqualTo("77");
      }
      case THROWS_ILLEGAL_STATE -> assertThat(r.value("setMaxInactive:77")).isEqualTo("ISE");
    }
  }

  @Test
  default void getSessionFalseAfterInvalidateInTheSameRequestIsNull() {
    Browser b = browser();
    b.probe("session");
    Reply r = b.probe("existing", "invalidate", "existing");
    assertThat(r.values("existing").get(1)).isEqualTo("null");
  }
}
