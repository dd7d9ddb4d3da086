package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Says which Tomcat the Tomcat-mode tests ran on: the one the module compiles against (10.1), or
 * the one the {@code tomcat-11} profile puts on the test class path instead.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TomcatVersionTest {

  @Test
  void theTestsRunOnTheTomcatTheBuildAskedFor() {
    String expected = System.getProperty("buddygrid.test.tomcat-version", "10.1.");
    System.out.println("Tomcat-mode tests run on " + ServerInfo.getServerInfo());
    assertThat(ServerInfo.getServerNumber()).startsWith(expected);
  }
}
