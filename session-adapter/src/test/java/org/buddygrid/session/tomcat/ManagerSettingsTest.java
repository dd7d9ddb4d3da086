package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.IntrospectionUtils;
import org.buddygrid.replication.Timing;
import org.buddygrid.session.BuddyGridSettings;
import org.buddygrid.session.InvalidSettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's attributes are the settings of filter mode under bean names, checked by the same
 * loader with the same messages; the route is the Engine's jvmRoute.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManagerSettingsTest {
  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void camelCaseAttributesNameTheDashedKeys() {
    assertThat(ManagerSettings.key("replicationTimeout"))
        .isEqualTo("buddygrid.replication-timeout");
    assertThat(ManagerSettings.key("maxInactive")).isEqualTo("buddygrid.max-inactive");
    assertThat(ManagerSettings.key("atRisk")).isEqualTo("buddygrid.at-risk");
    assertThat(ManagerSettings.key("tcp.initial_hosts")).isEqualTo("buddygrid.tcp.initial_hosts");
    assertThat(ManagerSettings.key("buddygrid.bind_addr")).isEqualTo("buddygrid.bind_addr");
  }

  @Test
  void contextXmlAttributesReachTheManagerAsTomcatsDigesterSetsThem() {
    // SetPropertiesRule sets each <Manager> attribute with IntrospectionUtils.setProperty.
    BuddyGridManager m = new BuddyGridManager();
    assertThat(IntrospectionUtils.setProperty(m, "replicationTimeout", "3s")).isTrue();
    assertThat(IntrospectionUtils.setProperty(m, "buddygrid.tcp.initial_hosts", "h[7800]"))
        .isTrue();
    assertThat(IntrospectionUtils.setProperty(m, "timming", "SYNC")).isTrue();
    assertThat(IntrospectionUtils.setProperty(m, "maxActiveSessions", "10")).isTrue();
    assertThat(m.attribute("buddygrid.replication-timeout")).contains("3s");
    assertThat(m.attribute("tcp.initial_hosts")).contains("h[7800]");
    assertThat(m.attribute("timming")).as("checked, with a suggestion, at start").contains("SYNC");
    assertThat(m.getMaxActiveSessions()).as("ManagerBase's own attribute").isEqualTo(10);
    assertThat(m.attribute("maxActiveSessions")).isEmpty();
  }

  @Test
  void theSettersAndTheJvmRouteMakeTheSettings() {
    BuddyGridManager m = new BuddyGridManager();
    m.setCluster("shop");
    m.setStack("loopback");
    m.setTiming("async");
    m.setReplicationTimeout("750ms");
    m.setAllow("com.example.shop.**");
    m.setProperty("buddygrid.backups", "2");
    BuddyGridSettings s = settingsOf(m).load("node7", loader);
    assertThat(s.get(BuddyGridSettings.ROUTE)).isEqualTo("node7");
    assertThat(s.origin(BuddyGridSettings.ROUTE)).contains("Engine jvmRoute");
    assertThat(s.get(BuddyGridSettings.CLUSTER)).isEqualTo("shop");
    assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.ASYNC);
    assertThat(s.get(BuddyGridSettings.REPLICATION_TIMEOUT).toMillis()).isEqualTo(750);
    assertThat(s.get(BuddyGridSettings.BACKUPS)).isEqualTo(2);
    assertThat(s.get(BuddyGridSettings.ALLOW)).containsExactly("com.example.shop.**");
    assertThat(s.origin(BuddyGridSettings.CLUSTER)).contains("<Manager> attribute");
    assertThat(m.attribute("replicationTimeout")).contains("750ms");
  }

  @Test
  void aMissingJvmRouteSaysWhereToSetItAlongWithEveryOtherProblem() {
    BuddyGridManager m = new BuddyGridManager();
    m.setStack("loopback");
    m.setTiming("sometimes");
    m.setProperty("timming", "SYNC");
    assertThatThrownBy(() -> settingsOf(m).load(null, loader))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p).contains("jvmRoute").contains("<Engine"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("buddygrid.timing=sometimes (<Manager> attribute)"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("unknown setting buddygrid.timming")
                                .contains("did you mean buddygrid.timing?")));
  }

  @Test
  void anInvalidJvmRouteIsReportedAsTheEnginesAndAnotherRouteIsRefused() {
    BuddyGridManager m = new BuddyGridManager();
    m.setStack("loopback");
    assertThatThrownBy(() -> settingsOf(m).load("node 1", loader))
        .hasMessageContaining("buddygrid.route=node 1 (Engine jvmRoute)");
    m.setProperty("buddygrid.route", "node2");
    assertThatThrownBy(() -> settingsOf(m).load("node1", loader))
        .hasMessageContaining("buddygrid.route=node2 (<Manager> attribute) is not the Engine's")
        .hasMessageContaining("jvmRoute node1");
  }

  @Test
  void aContextWithoutJvmRouteFailsToStartAndSaysSo(@TempDir Path baseDir) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    tomcat.getEngine().setName("no-route-" + System.identityHashCode(this));
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("/app", null);
    BuddyGridManager m = new BuddyGridManager();
    m.setStack("loopback");
    m.setJmx("false");
    context.setManager(m);
    List<Throwable> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getThrown() != null) {
              logged.add(r.getThrown());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger catalina = Logger.getLogger("org.apache.catalina");
    catalina.addHandler(capture);
    try {
      tomcat.start();
      assertThat(context.getState().isAvailable()).as("%s", context.getState()).isFalse();
      assertThat(m.grid()).isEmpty();
      assertThat(logged)
          .anySatisfy(
              t ->
                  assertThat(causes(t))
                      .anySatisfy(
                          c ->
                              assertThat(c)
                                  .isInstanceOf(LifecycleException.class)
                                  .hasMessageContaining("BuddyGrid Tomcat mode could not start")
                                  .hasMessageContaining("the Engine has no jvmRoute")));
    } finally {
      catalina.removeHandler(capture);
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }

  private static ManagerSettings settingsOf(BuddyGridManager m) {
    return m.attributes();
  }
}
