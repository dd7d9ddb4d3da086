package org.buddygrid.it.tomcat;

import java.io.File;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.buddygrid.it.tomcat.app.SessionServlet;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test application's WAR for one node, in either mode. A mode's WARs are {@code filter.war} or
 * {@code tomcat.war} (contexts {@code /filter}, {@code /tomcat}: both modes can be deployed at
 * once) with the classes of {@code org.buddygrid.it.tomcat.app}; attribute values are JDK types and
 * {@code ActivationProbe}, allowed by {@code buddygrid.allow}.
 */
final class TestApp {
  private static final String ALLOW = "org.buddygrid.it.tomcat.app.**";

  private TestApp() {}

  /**
   * Filter mode: session-adapter and its dependencies in {@code WEB-INF/lib} (copied by the build
   * to the directory {@code it.webapp-lib}), turned on by context parameters. Each web application
   * loads its own JGroups, so the nodes talk over the {@code tcp} stack on 127.0.0.1, on the ports
   * {@code it.jgroups.node1..3} the build reserved.
   */
  static WebArchive filterMode(Node node, String cluster) {
    String hosts =
        Node.ALL.stream()
            .map(n -> "127.0.0.1[" + jgroupsPort(n) + "]")
            .collect(Collectors.joining(","));
    String params =
        param("buddygrid.enabled", "true")
            + param("buddygrid.route", node.name())
            + param("buddygrid.cluster", cluster)
            + param("buddygrid.stack", "tcp")
            + param("buddygrid.bind_port", String.valueOf(jgroupsPort(node)))
            + param("buddygrid.port_range", "0")
            + param("buddygrid.tcp.initial_hosts", hosts)
            + param("buddygrid.allow", ALLOW)
            + param("buddygrid.jmx", "false")
            + param("buddygrid.listeners", "org.buddygrid.it.tomcat.app.EventLog");
    return base("filter", node, params, "", "").addAsLibraries(webappLibraries());
  }

  /**
   * Tomcat mode: {@code BuddyGridManager} in {@code META-INF/context.xml}, loaded from the
   * containers' class path (the test class path, where session-adapter is), nothing in {@code
   * WEB-INF/lib}. All three containers share the JVM and that class path, so the nodes use the
   * {@code loopback} stack. The listener is the web application's own {@code <listener>}.
   */
  static WebArchive tomcatMode(Node node, String cluster) {
    String manager =
        "  <Listener className=\""
            + JvmRouteListener.class.getName()
            + "\" route=\""
            + node.name()
            + "\"/>\n"
            + "  <Manager className=\"org.buddygrid.session.tomcat.BuddyGridManager\""
            + " stack=\"loopback\" cluster=\""
            + cluster
            + "\" allow=\""
            + ALLOW
            + "\" jmx=\"false\"/>\n";
    return base(
        "tomcat",
        node,
        "",
        "  <listener><listener-class>org.buddygrid.it.tomcat.app.EventLog</listener-class>"
            + "</listener>\n",
        manager);
  }

  /** A cluster name no other build or test class on this machine uses. */
  static String uniqueCluster(String mode) {
    return "it-" + mode + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The WAR both modes share. Its context.xml turns Tomcat's jar scanning off (no TLDs, no
   * web-fragments; the class path is the test's, large): deploying takes a second instead of
   * several. Service files, and so filter mode's initializer, are still found.
   */
  private static WebArchive base(
      String name, Node node, String contextParams, String listeners, String contextElements) {
    String contextXml =
        "<Context>\n"
            + "  <JarScanner scanClassPath=\"false\" scanManifest=\"false\">\n"
            + "    <JarScanFilter defaultTldScan=\"false\" defaultPluggabilityScan=\"false\"/>\n"
            + "  </JarScanner>\n"
            + contextElements
            + "</Context>\n";
    String webXml =
        "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\""
            + " metadata-complete=\"true\">\n"
            + param("it.node", node.name())
            + contextParams
            + listeners
            + "  <servlet><servlet-name>s</servlet-name><servlet-class>"
            + SessionServlet.class.getName()
            + "</servlet-class></servlet>\n"
            + "  <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/s</url-pattern>"
            + "</servlet-mapping>\n"
            + "</web-app>\n";
    return ShrinkWrap.create(WebArchive.class, name + ".war")
        .addPackage(SessionServlet.class.getPackage())
        .setWebXML(new StringAsset(webXml))
        .addAsManifestResource(new StringAsset(contextXml), "context.xml");
  }

  private static String param(String name, String value) {
    return "  <context-param><param-name>"
        + name
        + "</param-name><param-value>"
        + value
        + "</param-value></context-param>\n";
  }

  private static int jgroupsPort(Node node) {
    return Integer.parseInt(required("it.jgroups." + node.name()));
  }

  private static File[] webappLibraries() {
    File dir = new File(required("it.webapp-lib"));
    File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
    if (jars == null
        || Arrays.stream(jars).noneMatch(j -> j.getName().contains("session-adapter"))) {
      throw new IllegalStateException(
          dir
              + " holds no buddygrid-session-adapter jar: run the tests with Maven"
              + " (./mvnw -pl it-tests/tomcat -am verify), which copies it and its dependencies there");
    }
    return jars;
  }

  private static String required(String key) {
    String value = System.getProperty(key);
    if (value == null) {
      throw new IllegalStateException(
          "system property "
              + key
              + " is not set: run the tests with Maven"
              + " (./mvnw -pl it-tests/tomcat -am verify)");
    }
    return value;
  }
}
