package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards {@code HttpServletRequest.changeSessionId()} (session fixation defence): a new id with the
 * same route, the same session (attributes, creation time) under it, the new cookie sent at once,
 * the old id dead, and the exception without a session. Its listener event is in {@link
 * ListenerChecks}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface ChangeSessionIdChecks extends ConformanceFixture {

  @Test
  default void changeSessionIdGivesANewIdWithTheSameRoute() {
    Browser b = browser();
    String old = b.probe("session").value("session");
    Reply r = b.probe("existing", "changeId", "id");
    String changed = r.value("changeId");
    assertThat(changed).isNotEqualTo(old).matches(IdAndCookieChecks.ID_PATTERN);
    assertThat(r.value("id")).isEqualTo(changed);
  }

  @Test
  default void changeSessionIdKeepsTheSession() {
    Browser b = browser();
    Reply before = b.probe("session", "set:a:1", "setInt:n:7", "creationTime");
    b.probe("existing", "changeId");
    Reply after = b.probe("existing", "get:a", "get:n", "names", "creationTime", "isNew");
    assertThat(after.value("get:a")).isEqualTo("1");
    assertThat(after.value("get:n")).isEqualTo("7");
    assertThat(after.value("names")).isEqualTo("a,n");
    assertThat(after.value("creationTime")).isEqualTo(before.value("creationTime"));
    assertThat(after.value("isNew")).isEqualTo("false");
  }

  @Test
  default void changeSessionIdSendsTheNewCookie() {
    Browser b = browser();
    b.probe("session");
    Reply r = b.probe("existing", "changeId");
    assertThat(r.sessionCookies()).hasSize(1);
    SetCookie c = r.sessionCookies().get(0);
    assertThat(c.value()).isEqualTo(r.value("changeId"));
    assertThat(c.attribute("Path")).isEqualTo(ConformanceServer.CONTEXT_PATH);
    assertThat(c.has("HttpOnly")).as(c.raw()).isTrue();
    assertThat(b.probe("existing").value("existing")).isEqualTo(r.value("changeId"));
  }

  @Test
  default void oldIdIsDeadAfterChangeSessionId() {
    Browser b = browser();
    String old = b.probe("session", "set:a:1").value("session");
    b.probe("existing", "changeId");
    Reply r = server().newBrowser(old).probe("requestedValid", "existing");
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
  }

  @Test
  default void changeSessionIdWithoutSessionThrows() {
    Reply r = browser().probe("changeId", "existing");
    assertThat(r.value("changeId")).isEqualTo("ISE");
    assertThat(r.value("existing")).isEqualTo("null");
  }
}
