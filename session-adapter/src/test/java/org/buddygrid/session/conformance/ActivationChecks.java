package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards attribute values that are {@code HttpSessionActivationListener}s (nothing is passivated
 * while a session stays on its node) and what a graceful restart of the only node does to its
 * sessions ({@link Property#ONLY_NODE_RESTART}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public interface ActivationChecks extends ConformanceFixture {

  @Test
  default void activationListenerHearsNothingWhileTheSessionStaysPut() {
    Browser b = browser();
    String id = b.probe("session", "activation:act:x").value("session");
    for (int i = 0; i < 3; i++) {
      assertThat(b.probe("existing", "get:act").value("get:act")).isEqualTo("activation(x)");
    }
    b.probe("existing", "set:other:1");
    assertThat(events(id))
        .noneMatch(e -> e.startsWith("willPassivate") || e.startsWith("didActivate"));
  }

  @Test
  default void restartOfTheOnlyNode(@TempDir Path baseDir) throws Exception {
    String appId = "restart-" + UUID.randomUUID();
    String id;
    try (ConformanceServer first = startIsolatedServer(baseDir, appId)) {
      id = first.newBrowser().probe("session", "set:a:1", "activation:act:x").value("session");
    }
    ConformanceServer second = startIsolatedServer(baseDir, appId);
    try {
      Reply r = second.newBrowser(id).probe("existing", "get:a", "isNew");
      List<String> created =
          List.of("created@first", "created@second", "added:a=1", "added:act=activation(x)");
      List<String> events = second.events(id);
      assertThat(events).startsWith(created.toArray(String[]::new));
      List<String> afterCreation = events.subList(created.size(), events.size());
      switch (expected(Property.ONLY_NODE_RESTART)) {
        case SESSIONS_DESTROYED -> {
          assertThat(r.value("existing")).isEqualTo("null");
          assertThat(afterCreation.subList(0, 2))
              .containsExactly(
                  "destroyed@second{a=1, act=activation(x)}",
                  "destroyed@first{a=1, act=activation(x)}");
          assertThat(afterCreation.subList(2, afterCreation.size()))
              .containsExactlyInAnyOrder("removed:a=1", "removed:act=activation(x)");
        }
        case SESSIONS_RESTORED -> {
          assertThat(r.value("existing")).isEqualTo(id);
          assertThat(r.value("get:a")).isEqualTo("1");
          assertThat(r.value("isNew")).isEqualTo("false");
          assertThat(afterCreation).containsExactly("willPassivate:x", "didActivate:x");
        }
        case SESSIONS_LOST -> {
          assertThat(r.value("existing")).isEqualTo("null");
          assertThat(afterCreation).isEmpty();
        }
      }
    } finally {
      second.closeAndDiscardEvents();
    }
  }
}
