package org.buddygrid.core.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.buddygrid.core.metrics.Metrics;

/**
 * Counts rejected input by kind ({@code <prefix>.<kind>}) and logs the first of each kind at
 * WARNING, the rest at DEBUG: a flood of bad input can neither fill the log nor go unnoticed.
 */
public final class RejectLog {
  private static final System.Logger LOG = System.getLogger(RejectLog.class.getName());

  private final String route;
  private final String prefix;
  private final Metrics metrics;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public RejectLog(String route, String prefix, Metrics metrics) {
    this.route = route;
    this.prefix = prefix;
    this.metrics = metrics;
  }

  public void reject(String kind, Object source, String detail) {
    metrics.increment(prefix + "." + kind);
    Level level = logged.add(kind) ? Level.WARNING : Level.DEBUG;
    if (LOG.isLoggable(level)) {
      LOG.log(
          level,
          "{0}: rejected {1} from {2}: {3}{4}",
          route,
          kind,
          source,
          detail,
          level == Level.WARNING ? " (further rejects of this kind are only counted)" : "");
    }
  }
}
