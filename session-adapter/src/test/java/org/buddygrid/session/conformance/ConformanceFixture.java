package org.buddygrid.session.conformance;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionFactory;

/**
 * What the check interfaces need from the suite: the running server, the mode and its expected
 * values, and a few helpers. Implemented once, by {@link SessionConformanceSuite}.
 */
public interface ConformanceFixture {

  /** The route every server of the suite runs with. */
  String ROUTE = "node1";

  /** The server shared by the checks of one test class. */
  ConformanceServer server();

  /** The mode under test. */
  SessionMode mode();

  /**
   * Starts another server with the same mode and settings but a cluster of its own (for checks that
   * stop and start a server). The caller closes it.
   */
  ConformanceServer startIsolatedServer(Path baseDir, String appId) throws Exception;

  /** A new browser on the shared server: no cookies. */
  default Browser browser() {
    return server().newBrowser();
  }

  /**
   * What this mode is expected to do for the property: its declared difference or the reference.
   */
  default <T> T expected(Property<T> property) {
    return mode().differences().expected(property);
  }

  /** The texts of the events of these sessions on the shared server, in order. */
  default List<String> events(String... sessionIds) {
    return server().events(sessionIds);
  }

  /** The wait for anything asynchronous: a deadline of 10 s, polled every 50 ms. */
  default ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
  }

  /** Waits until both listeners were told that the session was destroyed. */
  default void awaitDestroyed(String sessionId) {
    eventually()
        .until(
            () -> events(sessionId).stream().filter(e -> e.startsWith("destroyed@")).count() >= 2);
  }

  /** Waits until the clock of this JVM (which the server shares) is past this instant. */
  default void awaitClockPast(long epochMillis) {
    eventually().until(() -> System.currentTimeMillis() > epochMillis);
  }

  /** A number answered by the probe. */
  default long number(String text) {
    return Long.parseLong(text);
  }
}
