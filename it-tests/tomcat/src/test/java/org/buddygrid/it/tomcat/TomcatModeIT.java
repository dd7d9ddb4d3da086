package org.buddygrid.it.tomcat;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The cluster scenarios with BuddyGrid in Tomcat mode (BuddyGridManager in META-INF/context.xml).
 */
class TomcatModeIT extends ClusterScenarios {
  private static final String CLUSTER = TestApp.uniqueCluster("tomcat");

  @Override
  String contextPath() {
    return "/tomcat";
  }

  @Deployment(name = "node1", managed = false, testable = false)
  @TargetsContainer("node1")
  static WebArchive node1() {
    return TestApp.tomcatMode(Node.NODE1, CLUSTER);
  }

  @Deployment(name = "node2", managed = false, testable = false)
  @TargetsContainer("node2")
  static WebArchive node2() {
    return TestApp.tomcatMode(Node.NODE2, CLUSTER);
  }

  @Deployment(name = "node3", managed = false, testable = false)
  @TargetsContainer("node3")
  static WebArchive node3() {
    return TestApp.tomcatMode(Node.NODE3, CLUSTER);
  }
}
