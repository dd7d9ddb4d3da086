package org.buddygrid.session.conformance;

import java.time.Duration;
import java.util.EventListener;
import java.util.List;

/**
 * What a {@link SessionMode} is told when it configures a server.
 *
 * @param listeners the listener classes the test application declares, in declaration order; the
 *     container does not tell a filter about the application's listeners, so a mode must register
 *     them itself (e.g. as {@code buddygrid.listeners})
 * @param cluster a cluster name unique to this test class, so concurrent runs never join
 * @param route this node's route ({@code jvmRoute}): session ids end with {@code .<route>}
 * @param expirySweep how often expired sessions must be looked for (about one second)
 * @param attributeClasses class patterns of the application's attribute values, in the syntax of
 *     {@code buddygrid.allow} (the JDK types need none)
 */
public record ModeSettings(
    List<Class<? extends EventListener>> listeners,
    String cluster,
    String route,
    Duration expirySweep,
    String attributeClasses) {

  /** Checks the settings and copies the list. */
  public ModeSettings {
    listeners = List.copyOf(listeners);
    if (cluster.isBlank() || route.isBlank() || expirySweep.isNegative() || expirySweep.isZero()) {
      throw new IllegalArgumentException("cluster, route and a positive sweep interval are needed");
    }
  }
}
