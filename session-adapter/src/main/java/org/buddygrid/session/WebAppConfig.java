package org.buddygrid.session;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.buddygrid.session.internal.SessionListenerRegistry;

/** Where a web application's settings and declared listeners come from in filter mode. */
final class WebAppConfig {
  private WebAppConfig() {}

  /**
   * System properties, then the filter's init parameters (if declared in web.xml), then the servlet
   * context's, then {@code buddygrid.properties} on the web application's class loader.
   */
  static List<SettingsSource> sources(ServletContext context, Map<String, String> filterParams) {
    List<SettingsSource> sources = new ArrayList<>();
    sources.add(SettingsSource.systemProperties());
    if (!filterParams.isEmpty()) {
      sources.add(SettingsSource.of("filter init parameter", filterParams));
    }
    sources.add(
        SettingsSource.of(
            "servlet context init parameter",
            params(Collections.list(context.getInitParameterNames()), context::getInitParameter)));
    sources.add(SettingsSource.propertiesResource(context.getClassLoader()));
    return sources;
  }

  static Map<String, String> params(List<String> names, Function<String, String> value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, value.apply(n));
    }
    return out;
  }

  /**
   * The listeners {@code buddygrid.listeners} names, made by the container while it still allows
   * that (so they may have injection), else by their no-argument constructor.
   *
   * @throws InvalidSettingsException naming every class that cannot be used
   */
  static List<EventListener> listeners(BuddyGridSettings settings, ServletContext context) {
    List<EventListener> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : settings.get(BuddyGridSettings.LISTENERS)) {
      try {
        Class<? extends EventListener> type =
            SessionListenerRegistry.listenerClass(name, context.getClassLoader());
        EventListener listener;
        try {
          listener = context.createListener(type);
        } catch (IllegalStateException
            | UnsupportedOperationException
            | IllegalArgumentException e) {
          listener = SessionListenerRegistry.instantiate(type);
        } catch (jakarta.servlet.ServletException e) {
          throw new IllegalArgumentException(
              "buddygrid.listeners names " + name + ", which cannot be made: " + e.getMessage());
        }
        out.add(SessionListenerRegistry.requireSessionListener(listener));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return out;
  }
}
