package org.buddygrid.demo;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.BuddyGridInitializer;
import org.buddygrid.session.BuddyGridSessions;

/**
 * How the demo's web application gets BuddyGrid sessions: the servlet filter ({@code --mode
 * filter}) or BuddyGrid's Tomcat session manager ({@code --mode tomcat}). The manager is looked up
 * by name when the node starts, so this jar runs with or without it: without it, {@code --mode
 * tomcat} fails with a clear message.
 */
public sealed interface SessionMode {
  /** The Tomcat manager's class name. */
  String MANAGER_CLASS = "org.buddygrid.session.tomcat.BuddyGridManager";

  /** Installs BuddyGrid on {@code context} with the {@code buddygrid.*} settings given. */
  void install(Context context, Map<String, String> settings);

  /** The running grid of the web application, once it started. */
  Optional<SessionGrid> grid(ServletContext servletContext);

  /** The mode named {@code name} ({@code filter} or {@code tomcat}). */
  static SessionMode named(String name) {
    return switch (name) {
      case "filter" -> new Filter();
      case "tomcat" -> new TomcatManager(managerClass());
      default -> throw new IllegalArgumentException("unknown mode " + name);
    };
  }

  /**
   * The Tomcat manager's class.
   *
   * @throws UnavailableModeException if this build does not have it
   */
  private static Class<? extends Manager> managerClass() {
    try {
      return Class.forName(MANAGER_CLASS, false, SessionMode.class.getClassLoader())
          .asSubclass(Manager.class);
    } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
      throw new UnavailableModeException(
          "--mode tomcat: BuddyGrid's Tomcat session manager ("
              + MANAGER_CLASS
              + ") is not available in this build; use --mode filter, or rebuild once Tomcat mode is"
              + " merged: ./mvnw -q -pl demo -am package -DskipTests");
    }
  }

  /** A mode this build cannot run. */
  final class UnavailableModeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableModeException(String message) {
      super(message);
    }
  }

  /** Filter mode: the initializer installs {@code BuddyGridFilter} from context parameters. */
  record Filter() implements SessionMode {
    @Override
    public void install(Context context, Map<String, String> settings) {
      settings.forEach(context::addParameter);
      context.addParameter("buddygrid.enabled", "true");
      context.addServletContainerInitializer(new BuddyGridInitializer(), null);
    }

    @Override
    public Optional<SessionGrid> grid(ServletContext servletContext) {
      return BuddyGridSessions.grid(servletContext);
    }
  }

  /**
   * Tomcat mode: BuddyGrid's {@code Manager} on the context, reading the same settings from the
   * context parameters; Tomcat's {@code jvmRoute} is the route.
   */
  record TomcatManager(Class<? extends Manager> type) implements SessionMode {
    @Override
    public void install(Context context, Map<String, String> settings) {
      try {
        // The manager takes its settings as <Manager> attributes; full keys go through setProperty.
        Manager manager = type.getConstructor().newInstance();
        Method setProperty = type.getMethod("setProperty", String.class, String.class);
        for (Map.Entry<String, String> e : settings.entrySet()) {
          setProperty.invoke(manager, e.getKey(), e.getValue());
        }
        context.setManager(manager);
      } catch (ReflectiveOperationException e) {
        throw new UnavailableModeException(
            "--mode tomcat: cannot create " + type.getName() + ": " + e);
      }
    }

    /**
     * The manager's grid: through {@link BuddyGridSessions} if the manager registers it there, else
     * from the manager's public no-argument method that returns a {@link SessionGrid}.
     */
    @Override
    public Optional<SessionGrid> grid(ServletContext servletContext) {
      Optional<SessionGrid> registered = BuddyGridSessions.grid(servletContext);
      if (registered.isPresent()) {
        return registered;
      }
      Object manager = servletContext.getAttribute(DemoNode.MANAGER_ATTRIBUTE);
      if (manager == null) {
        return Optional.empty();
      }
      for (Method m : manager.getClass().getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        try {
          if (SessionGrid.class.isAssignableFrom(m.getReturnType())) {
            return Optional.ofNullable((SessionGrid) m.invoke(manager));
          }
          if (Optional.class.equals(m.getReturnType()) && m.getName().equals("grid")) {
            return ((Optional<?>) m.invoke(manager))
                .filter(SessionGrid.class::isInstance)
                .map(SessionGrid.class::cast);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    }
  }
}
