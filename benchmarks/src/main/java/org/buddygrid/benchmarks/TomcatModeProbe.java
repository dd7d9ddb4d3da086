package org.buddygrid.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.catalina.Manager;
import org.apache.tomcat.util.IntrospectionUtils;

/**
 * Finds BuddyGrid's Tomcat mode ({@value #MANAGER_CLASS}) by reflection, so that the benchmarks
 * compile and run without it and measure it once it is on the class path; and configures an
 * instance the way {@code server.xml} configures a {@code <Manager>}: each setting as a bean
 * property, through Tomcat's own {@link IntrospectionUtils}.
 */
final class TomcatModeProbe {
  /** The Tomcat mode's manager, as its module announces it. */
  static final String MANAGER_CLASS = "org.buddygrid.session.tomcat.BuddyGridManager";

  private TomcatModeProbe() {}

  /**
   * The manager class {@code className} if {@code loader} has it and it is a Tomcat {@link
   * Manager}; empty otherwise (absent, or not a manager: the reason is in {@code why}).
   */
  static Optional<Class<? extends Manager>> find(
      String className, ClassLoader loader, List<String> why) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      why.add(className + " is not on the class path");
      return Optional.empty();
    }
    if (!Manager.class.isAssignableFrom(type)) {
      why.add(className + " is not an org.apache.catalina.Manager");
      return Optional.empty();
    }
    return Optional.of(type.asSubclass(Manager.class));
  }

  /**
   * A new instance, with each of {@code properties} set where the class has a setter for it ({@code
   * cluster} calls {@code setCluster}, with the value converted to the setter's type as for {@code
   * server.xml}).
   *
   * @param applied receives the names of the properties that were set
   */
  static Manager instantiate(
      Class<? extends Manager> type, Map<String, String> properties, List<String> applied)
      throws ReflectiveOperationException {
    Manager manager = type.getConstructor().newInstance();
    List<String> set = new ArrayList<>();
    properties.forEach(
        (name, value) -> {
          if (IntrospectionUtils.setProperty(manager, name, value)) {
            set.add(name);
          }
        });
    applied.addAll(set);
    return manager;
  }
}
