package org.buddygrid.it.wildfly;

import java.util.Map;

/**
 * One managed WildFly server of the test: its Arquillian container qualifier (also its route, given
 * to WildFly as {@code jboss.node.name}), its socket binding port offset, and its JGroups port.
 *
 * <p>The offset is chosen so that every port of WildFly's {@code standard-sockets} group is free on
 * 127.0.0.1 once shifted (WildFly's own 8080 and 9990 may be taken by other programs), and the
 * JGroups port so that it and its {@code FD_SOCK2} ports (+100 to +103) are free.
 *
 * @param name the container qualifier and the node's route
 * @param offset {@code jboss.socket.binding.port-offset}
 * @param jgroupsPort {@code buddygrid.bind_port}
 */
record WildFlyServer(String name, int offset, int jgroupsPort) {
  /** {@code standalone.xml}'s socket bindings: ajp, http, https, management, transactions. */
  private static final int[] STANDARD_SOCKETS = {8009, 8080, 8443, 9990, 9993, 4712, 4713};

  /** The context path the test WAR is deployed under. */
  static final String CONTEXT = "shop";

  /** A server with free ports. */
  static WildFlyServer withFreePorts(String name) {
    return new WildFlyServer(
        name,
        FreePorts.base(10_000, 50_000, STANDARD_SOCKETS),
        FreePorts.base(20_000, 40_000, 0, 100, 101, 102, 103));
  }

  /** The test application's URL on this server, ending with a slash. */
  String app() {
    return "http://127.0.0.1:" + (8080 + offset) + "/" + CONTEXT + "/";
  }

  int managementPort() {
    return 9990 + offset;
  }

  /** What {@code ContainerController.start} overrides in this server's {@code arquillian.xml}. */
  Map<String, String> containerConfig() {
    return Map.of(
        "managementPort",
        Integer.toString(managementPort()),
        "javaVmArguments",
        String.join(
            " ",
            "-Xmx512m",
            "-XX:MaxMetaspaceSize=320m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true",
            "-Djboss.socket.binding.port-offset=" + offset,
            "-Djboss.bind.address=127.0.0.1",
            "-Djboss.bind.address.management=127.0.0.1",
            "-Djboss.node.name=" + name,
            // Undertow counts the sessions it makes only with statistics on: the test checks it
            // made none (BuddyGrid's filter serves them all).
            "-Dwildfly.undertow.statistics-enabled=true",
            "-Dbuddygrid.bind_port=" + jgroupsPort));
  }
}
