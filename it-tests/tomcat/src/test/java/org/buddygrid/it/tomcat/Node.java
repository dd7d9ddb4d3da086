package org.buddygrid.it.tomcat;

import java.util.List;

/**
 * One of the three Tomcat containers of {@code arquillian.xml}: its name (also its route and its
 * Arquillian container and deployment name) and its HTTP port, which the build reserves and passes
 * as the system property {@code it.http.<name>}.
 */
record Node(String name, int port) {
  static final Node NODE1 = of("node1");
  static final Node NODE2 = of("node2");
  static final Node NODE3 = of("node3");
  static final List<Node> ALL = List.of(NODE1, NODE2, NODE3);

  private static Node of(String name) {
    String key = "it.http." + name;
    String port = System.getProperty(key);
    if (port == null) {
      throw new IllegalStateException(
          "system property "
              + key
              + " is not set: run the tests with Maven (./mvnw -pl it-tests/tomcat -am verify),"
              + " which reserves free ports, or set it.http.node1..3 and it.jgroups.node1..3");
    }
    return new Node(name, Integer.parseInt(port));
  }

  /**
   * The base URL of the web application at {@code contextPath} on this node, ending in {@code /}.
   */
  String url(String contextPath) {
    return "http://127.0.0.1:" + port + contextPath + "/";
  }

  /** The node after this one, in a ring of the three. */
  Node next() {
    return ALL.get((ALL.indexOf(this) + 1) % ALL.size());
  }

  @Override
  public String toString() {
    return name;
  }
}
