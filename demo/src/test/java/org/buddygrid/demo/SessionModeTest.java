package org.buddygrid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.replication.SessionGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tomcat mode binds late: any {@code Manager} class works, and its grid is found by type. */
class SessionModeTest {
  /** A stand-in for BuddyGrid's Tomcat manager: takes full keys as properties, exposes a grid. */
  public static final class GridManager extends StandardManager {
    static int asked;
    final Map<String, String> properties = new java.util.HashMap<>();

    public boolean setProperty(String name, String value) {
      properties.put(name, value);
      return true;
    }

    public java.util.Optional<SessionGrid> grid() {
      asked++;
      return java.util.Optional.empty();
    }
  }

  @TempDir Path base;

  @Test
  void tomcatModeSetsTheManagerAndTheSettingsAndFindsTheGridByType() {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Context context = tomcat.addContext("", null); // not started: no port is opened
    SessionMode mode = new SessionMode.TomcatManager(GridManager.class);
    mode.install(context, Map.of("buddygrid.route", "node1"));
    assertThat(context.getManager()).isInstanceOf(GridManager.class);
    assertThat(((GridManager) context.getManager()).properties)
        .containsEntry("buddygrid.route", "node1");
    assertThat(context.findParameter("buddygrid.enabled")).as("no filter as well").isNull();
    context.getServletContext().setAttribute(DemoNode.MANAGER_ATTRIBUTE, context.getManager());
    assertThat(mode.grid(context.getServletContext())).isEmpty();
    assertThat(GridManager.asked).isEqualTo(1);
  }

  @Test
  void tomcatModeSaysSoWhenThisBuildHasNoManager() {
    boolean built;
    try {
      Class.forName(SessionMode.MANAGER_CLASS);
      built = true;
    } catch (ClassNotFoundException e) {
      built = false;
    }
    if (built) {
      assertThat(SessionMode.named("tomcat")).isInstanceOf(SessionMode.TomcatManager.class);
    } else {
      assertThatThrownBy(() -> SessionMode.named("tomcat"))
          .isInstanceOf(SessionMode.UnavailableModeException.class)
          .hasMessageContaining("not available in this build")
          .hasMessageContaining("--mode filter");
    }
    assertThat(SessionMode.named("filter")).isInstanceOf(SessionMode.Filter.class);
  }
}
