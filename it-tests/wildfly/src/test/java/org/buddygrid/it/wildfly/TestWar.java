package org.buddygrid.it.wildfly;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.buddygrid.it.wildfly.app.SessionServlet;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test application as a user would ship it in filter mode: its servlets in {@code
 * WEB-INF/classes}, BuddyGrid and everything it needs (JGroups, Kryo, Caffeine, ...) in {@code
 * WEB-INF/lib} and {@code buddygrid.*} context parameters in {@code web.xml}. Nothing
 * WildFly-specific is needed: WildFly adds none of its own JGroups or Caffeine modules to a
 * deployment (the test checks which class loader the libraries come from), and the WAR is not
 * {@code <distributable/>}, so WildFly's distributable sessions stay out.
 */
final class TestWar {
  /** Where the build copied the WAR's libraries ({@code dependency:copy-dependencies}). */
  private static final Path LIBS =
      Path.of(System.getProperty("buddygrid.it.war-lib", "target/war-lib"));

  private TestWar() {}

  /**
   * The WAR for a grid named {@code cluster} of {@code servers}; each server gives its route
   * ({@code jboss.node.name}) and JGroups port ({@code buddygrid.bind_port}) as system properties.
   */
  static WebArchive create(String cluster, List<WildFlyServer> servers) {
    String hosts =
        servers.stream()
            .map(s -> "127.0.0.1[" + s.jgroupsPort() + "]")
            .collect(Collectors.joining(","));
    return ShrinkWrap.create(WebArchive.class, WildFlyServer.CONTEXT + ".war")
        .addPackage(SessionServlet.class.getPackage())
        .addAsLibraries(libraries())
        .setWebXML(new StringAsset(webXml(cluster, hosts)));
  }

  private static File[] libraries() {
    try (Stream<Path> jars = Files.list(LIBS)) {
      File[] files =
          jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).toArray(File[]::new);
      if (files.length == 0) {
        throw new IllegalStateException(
            "no jars in " + LIBS.toAbsolutePath() + ": run the build (./mvnw verify) first");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(
          LIBS.toAbsolutePath() + " is missing: run the build (./mvnw verify) first", e);
    }
  }

  private static String webXml(String cluster, String hosts) {
    StringBuilder params = new StringBuilder();
    for (String[] p :
        new String[][] {
          {"buddygrid.enabled", "true"},
          {"buddygrid.route", "${jboss.node.name}"},
          {"buddygrid.cluster", cluster},
          {"buddygrid.stack", "tcp"},
          {"buddygrid.bind_addr", "127.0.0.1"},
          {"buddygrid.port_range", "0"},
          {"buddygrid.tcp.initial_hosts", hosts},
          {"buddygrid.allow", "org.buddygrid.it.wildfly.app.*"}
        }) {
      params
          .append("  <context-param><param-name>")
          .append(p[0])
          .append("</param-name><param-value>")
          .append(p[1])
          .append("</param-value></context-param>\n");
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s</web-app>
        """
        .formatted(params);
  }
}
