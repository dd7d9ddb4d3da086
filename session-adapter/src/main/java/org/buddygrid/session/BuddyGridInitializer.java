package org.buddygrid.session;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.List;
import java.util.Set;

/**
 * Installs filter mode when {@code buddygrid.enabled=true} (from a system property, a context init
 * parameter or {@code buddygrid.properties}); otherwise does nothing. Found by the container
 * through {@code META-INF/services}; an embedded container can add it itself (Tomcat: {@code
 * context.addServletContainerInitializer(new BuddyGridInitializer(), null)}).
 *
 * <p>It reads and checks every setting at deployment, failing the deployment with every problem
 * listed, and adds a {@link BuddyGridFilter} named {@value #FILTER_NAME} for {@code /*}, every
 * dispatcher type, asynchronous requests supported, before the filters of {@code web.xml}, and a
 * listener that joins the grid when the web application starts (not at the first request, as a
 * container that initializes filters lazily would) and leaves it when the application stops. If
 * {@code web.xml} declares a {@link BuddyGridFilter} already, it adds nothing.
 */
public final class BuddyGridInitializer implements ServletContainerInitializer {
  /** The name the filter is registered under. */
  public static final String FILTER_NAME = "BuddyGrid";

  private static final System.Logger LOG = System.getLogger(BuddyGridInitializer.class.getName());

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
    try {
      List<SettingsSource> sources = WebAppConfig.sources(context, java.util.Map.of());
      if (!SettingsLoader.peek(sources, BuddyGridSettings.ENABLED)) {
        for (String unknown : SettingsLoader.unknownKeys(sources)) {
          LOG.log(
              Level.WARNING,
              "BuddyGrid filter mode is off (buddygrid.enabled is not true); " + unknown);
        }
        return;
      }
      for (FilterRegistration r : context.getFilterRegistrations().values()) {
        if (BuddyGridFilter.class.getName().equals(r.getClassName())) {
          LOG.log(
              Level.INFO,
              "BuddyGridFilter is declared as {0}; the initializer adds no second one",
              r.getName());
          return;
        }
      }
      BuddyGridSettings settings = BuddyGridSettings.load(sources);
      List<EventListener> listeners = WebAppConfig.listeners(settings, context);
      BuddyGridFilter grid = new BuddyGridFilter(settings, listeners);
      FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, grid);
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
      // Some containers initialize filters at the first request only (Undertow): join the grid now,
      // as the web application starts (here every ServletContext method is allowed, unlike in a
      // listener added here), and leave it when it stops, whatever the container does with filters.
      grid.startWith(context);
      context.addListener(
          new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
              grid.destroy();
            }
          });
    } catch (RuntimeException e) {
      throw new ServletException("BuddyGrid: " + e.getMessage(), e);
    }
  }
}
