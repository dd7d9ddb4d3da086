package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the session lifetime: the max inactive interval (context default, per session, expiry of
 * short intervals by the container without any request, never for non-positive values, kept alive
 * by requests). Expiry is awaited with deadlines; the server sweeps about every second.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface TimeoutChecks extends ConformanceFixture {

  @Test
  default void maxInactiveIntervalDefaultsToTheContextSessionTimeout() {
    Reply r = browser().probe("session", "maxInactive");
    assertThat(r.value("maxInactive"))
        .isEqualTo(String.valueOf(ConformanceServer.SESSION_TIMEOUT_MINUTES * 60));
  }

  @Test
  default void maxInactiveIntervalSetIsReadBackLater() {
    Browser b = browser();
    assertThat(b.probe("session", "setMaxInactive:1234", "maxInactive").value("maxInactive"))
        .isEqualTo("1234");
    assertThat(b.probe("existing", "maxInactive").value("maxInactive")).isEqualTo("1234");
    Browser other = browser();
    assertThat(other.probe("session", "maxInactive").value("maxInactive"))
        .isEqualTo(String.valueOf(ConformanceServer.SESSION_TIMEOUT_MINUTES * 60));
  }

  @Test
  default void expiredSessionIsDestroyedWithoutAnyRequest() {
    String id =
        browser().probe("session", "set:a:1", "bind:p:x", "setMaxInactive:1").value("session");
    awaitDestroyed(id);
    List<String> events = events(id);
    int destroyed = events.indexOf("destroyed@second{a=1, p=probe(x)}");
    assertThat(destroyed).as("%s", events).isNotNegative();
    assertThat(events.get(destroyed + 1)).isEqualTo("destroyed@first{a=1, p=probe(x)}");
    eventually().until(() -> events(id).contains("unbound:p=x"));
  }

  @Test
  default void sessionDoesNotExpireBeforeItsInterval() {
    Reply r = browser().probe("session", "setMaxInactive:1", "now");
    long lastRequest = number(r.value("now"));
    String id = r.value("session");
    awaitDestroyed(id);
    long destroyedAt =
        server().timedEvents(id).stream()
            .filter(e -> e.text().startsWith("destroyed@"))
            .findFirst()
            .orElseThrow()
            .at();
    // Idle time counts from the end of the request, or from its start (a few ms earlier).
    assertThat(destroyedAt).isGreaterThanOrEqualTo(lastRequest + 1000 - 100);
  }

  @Test
  default void expiredSessionIsGoneForItsClient() {
    Browser b = browser();
    String id = b.probe("session", "set:a:1", "setMaxInactive:1").value("session");
    awaitDestroyed(id);
    Reply r = b.probe("requestedId", "requestedValid", "existing", "session", "get:a");
    assertThat(r.value("requestedId")).isEqualTo(id);
    assertThat(r.value("requestedValid")).isEqualTo("false");
    assertThat(r.value("existing")).isEqualTo("null");
    assertThat(r.value("session")).isNotEqualTo(id);
    assertThat(r.value("get:a")).isEqualTo("null");
  }

  @Test
  default void nonPositiveMaxInactiveIntervalNeverExpires() {
    Browser never = browser();
    Browser zero = browser();
    String neverId = never.probe("session", "set:a:1", "setMaxInactive:-1").value("session");
    String zeroId = zero.probe("session", "set:a:1", "setMaxInactive:0").value("session");
    // Created last, so it has been idle no longer than the other two when it expires.
    String sentinel = browser().probe("session", "setMaxInactive:1").value("session");
    awaitDestroyed(sentinel);
    Reply n = never.probe("existing", "get:a", "maxInactive");
    assertThat(n.value("existing")).isEqualTo(neverId);
    assertThat(n.value("get:a")).isEqualTo("1");
    assertThat(n.value("maxInactive")).isEqualTo("-1");
    Reply z = zero.probe("existing", "get:a", "maxInactive");
    assertThat(z.value("existing")).isEqualTo(zeroId);
    assertThat(z.value("get:a")).isEqualTo("1");
    assertThat(z.value("maxInactive")).isEqualTo("0");
    assertThat(events(neverId, zeroId)).noneMatch(e -> e.startsWith("destroyed@"));
  }

  @Test
  default void requestsKeepASessionAlivePastItsInterval() {
    Browser b = browser();
    String id = b.probe("session", "setMaxInactive:2").value("session");
    // Every poll is a request on the session; together they span longer than the interval.
    await()
        .during(Duration.ofMillis(3000))
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> b.probe("existing").value("existing").equals(id));
    assertThat(events(id)).noneMatch(e -> e.startsWith("destroyed@"));
  }
}
