package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards session creation: {@code getSession(true/false)}, {@code isNew}, the creation time, the
 * session's servlet context and the isolation of sessions between clients.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface SessionCreationChecks extends ConformanceFixture {

  @Test
  default void getSessionFalseWithoutSessionIsNullAndSetsNoCookie() {
    Browser b = browser();
    Reply r = b.probe("existing");
    assertThat(r.value("existing")).isEqualTo("null");
    assertThat(r.sessionCookies()).isEmpty();
    assertThat(b.probe("existing").value("existing")).isEqualTo("null");
  }

  @Test
  default void newSessionIsNewOnItsFirstRequest() {
    Reply r = browser().probe("session", "isNew");
    assertThat(r.value("isNew")).isEqualTo("true");
  }

  @Test
  default void sessionIsNotNewOnceTheClientJoined() {
    Browser b = browser();
    String id = b.probe("session").value("session");
    Reply r = b.probe("existing", "isNew");
    assertThat(r.value("existing")).isEqualTo(id);
    assertThat(r.value("isNew")).isEqualTo("false");
  }

  @Test
  default void getSessionTwiceInOneRequestReturnsTheSameSession() {
    Reply r = browser().probe("session", "session", "existing");
    String id = r.values("session").get(0);
    assertThat(r.values("session")).containsExactly(id, id);
    assertThat(r.value("existing")).isEqualTo(id);
  }

  @Test
  default void creationTimeIsFixedAtCreation() {
    Browser b = browser();
    long before = System.currentTimeMillis();
    Reply first = b.probe("session", "creationTime", "now");
    long created = number(first.value("creationTime"));
    assertThat(created).isBetween(before, number(first.value("now")));
    awaitClockPast(created + 20);
    assertThat(number(b.probe("existing", "creationTime").value("creationTime")))
        .isEqualTo(created);
  }

  @Test
  default void sessionServletContextIsTheApplications() {
    Reply r = browser().probe("session", "contextPath");
    assertThat(r.value("contextPath")).isEqualTo(ConformanceServer.CONTEXT_PATH);
  }

  @Test
  default void sessionsAreIsolatedBetweenClients() {
    Browser a = browser();
    Browser b = browser();
    String idA = a.probe("session", "set:x:a").value("session");
    Reply r = b.probe("session", "get:x", "names");
    assertThat(r.value("session")).isNotEqualTo(idA);
    assertThat(r.value("get:x")).isEqualTo("null");
    assertThat(r.value("names")).isEmpty();
    assertThat(a.probe("existing", "get:x").value("get:x")).isEqualTo("a");
  }
}
