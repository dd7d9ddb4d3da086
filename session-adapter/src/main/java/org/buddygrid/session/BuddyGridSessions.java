package org.buddygrid.session;

import jakarta.servlet.ServletContext;
import java.util.EventListener;
import java.util.Optional;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.internal.SessionListenerRegistry;
import org.buddygrid.session.internal.WebAppGrid;

/**
 * The web application's view of BuddyGrid sessions in filter mode.
 *
 * <p>The container tells its own declared listeners ({@code <listener>} in web.xml,
 * {@code @WebListener}, {@code ServletContext.addListener}) about its own sessions only, never
 * about BuddyGrid's. Session, attribute and id listeners that must hear about BuddyGrid sessions
 * are named in {@code buddygrid.listeners} or registered here.
 */
public final class BuddyGridSessions {
  private BuddyGridSessions() {}

  /**
   * Registers a listener for the BuddyGrid sessions of {@code context}: an {@code
   * HttpSessionListener}, {@code HttpSessionAttributeListener} and/or {@code
   * HttpSessionIdListener}. Called after those of {@code buddygrid.listeners}, in registration
   * order ({@code sessionDestroyed} in reverse). May be called at any time, also before filter mode
   * started (from a {@code ServletContextListener}).
   *
   * @throws IllegalArgumentException if {@code listener} is none of these
   */
  public static void addListener(ServletContext context, EventListener listener) {
    SessionListenerRegistry.of(context).register(listener);
  }

  /** Whether filter mode serves the sessions of {@code context} now. */
  public static boolean isActive(ServletContext context) {
    return WebAppGrid.of(context).isPresent();
  }

  /** This node's route in the grid of {@code context}, while filter mode runs. */
  public static Optional<String> route(ServletContext context) {
    return WebAppGrid.of(context).map(a -> a.grid().route());
  }

  /**
   * The running session grid of {@code context}, while filter mode runs: for monitoring ({@link
   * SessionGrid#memberStatuses}, {@link SessionGrid#locate}, listeners, application counters in its
   * metrics). Filter mode starts and closes it; the application must not close it.
   */
  public static Optional<SessionGrid> grid(ServletContext context) {
    return WebAppGrid.of(context).map(WebAppGrid::grid);
  }

  /**
   * The grid's metrics (also on JMX unless {@code buddygrid.jmx=false}), while filter mode runs:
   * {@code ids.rejected}, {@code commits.at-risk}, {@code takeovers}, ...
   */
  public static Optional<Metrics> metrics(ServletContext context) {
    return WebAppGrid.of(context).map(a -> a.grid().metrics());
  }
}
