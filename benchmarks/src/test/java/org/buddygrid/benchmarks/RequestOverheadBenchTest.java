package org.buddygrid.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.session.StandardManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RequestOverheadBench} in one-second rounds: every configuration answers every request with
 * its own session's counter, and Tomcat mode is reported "not available" when its manager is not on
 * the class path, or configured and measured when it is (a stand-in, and the real one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RequestOverheadBenchTest {

  private static RequestOverheadBench.Report run(ByteArrayOutputStream text, String... args)
      throws Exception {
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
    return new RequestOverheadBench(
            ToolArgs.parse(args, RequestOverheadBench.USAGE, "--quick"), out)
        .run();
  }

  @Test
  void withoutTheTomcatModeManagerPlainAndFilterAreMeasuredAndTomcatIsNotAvailable()
      throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    RequestOverheadBench.Report report =
        run(
            text,
            "--configs",
            "plain,filter,tomcat",
            "--tomcat-manager",
            "org.buddygrid.session.tomcat.NoSuchManager",
            "--clients",
            "2",
            "--rounds",
            "1",
            "--seconds",
            "1",
            "--warmup",
            "0");
    assertThat(report.unavailable()).containsOnlyKeys("tomcat");
    assertThat(report.unavailable().get("tomcat"))
        .startsWith("not available")
        .contains("NoSuchManager is not on the class path");
    assertThat(report.windows())
        .extracting(RequestOverheadBench.Window::config)
        .containsExactlyInAnyOrder("plain", "filter");
    for (RequestOverheadBench.Window w : report.windows()) {
      assertThat(w.requests()).as(w.config()).isPositive();
      assertThat(w.errors()).as(w.config()).isZero();
    }
    String output = text.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("| tomcat | not available");
    assertThat(output).contains("filter costs");
  }

  @Test
  void theTomcatModeManagerIsLookedUpByNameAndAbsentWhenHidden() {
    ClassLoader withoutTomcatMode =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.buddygrid.session.tomcat.")) {
              throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
          }
        };
    List<String> why = new ArrayList<>();
    assertThat(TomcatModeProbe.find(TomcatModeProbe.MANAGER_CLASS, withoutTomcatMode, why))
        .isEmpty();
    assertThat(why).containsExactly(TomcatModeProbe.MANAGER_CLASS + " is not on the class path");
    why.clear();
    assertThat(TomcatModeProbe.find(String.class.getName(), withoutTomcatMode, why)).isEmpty();
    assertThat(why).containsExactly("java.lang.String is not an org.apache.catalina.Manager");
    assertThat(TomcatModeProbe.find(FakeManager.class.getName(), withoutTomcatMode, why))
        .contains(FakeManager.class);
  }

  @Test
  void aManagerOnTheClassPathIsConfiguredLikeServerXmlAndMeasured() throws Exception {
    FakeManager.SET.clear();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    RequestOverheadBench.Report report =
        run(
            text,
            "--configs",
            "tomcat",
            "--tomcat-manager",
            FakeManager.class.getName(),
            "--clients",
            "2",
            "--rounds",
            "1",
            "--seconds",
            "1",
            "--warmup",
            "0");
    assertThat(report.unavailable()).isEmpty();
    assertThat(report.windows()).hasSize(1);
    assertThat(report.windows().get(0).requests()).isPositive();
    assertThat(report.windows().get(0).errors()).isZero();
    assertThat(FakeManager.SET).containsEntry("stack", "loopback").containsEntry("route", "node1");
    assertThat(FakeManager.SET.get("cluster")).startsWith("overhead-tomcat-");
    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains("manager properties set: [route, cluster, stack]");
  }

  @Test
  void theRealTomcatModeIsFoundConfiguredAndMeasured() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    RequestOverheadBench.Report report =
        run(
            text,
            "--configs",
            "tomcat",
            "--clients",
            "2",
            "--rounds",
            "1",
            "--seconds",
            "1",
            "--warmup",
            "0");
    assertThat(report.unavailable()).isEmpty();
    assertThat(report.windows()).hasSize(1);
    assertThat(report.windows().get(0).requests()).isPositive();
    assertThat(report.windows().get(0).errors()).isZero();
    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains("BuddyGrid Tomcat mode (" + TomcatModeProbe.MANAGER_CLASS + ")")
        .contains("manager properties set: [route, cluster, stack, jmx]");
  }

  /** Stands in for Tomcat mode: Tomcat's own manager, with the setters a server.xml would use. */
  public static final class FakeManager extends StandardManager {
    static final Map<String, String> SET = new ConcurrentHashMap<>();

    public void setCluster(String cluster) {
      SET.put("cluster", cluster);
    }

    public void setStack(String stack) {
      SET.put("stack", stack);
    }

    public void setRoute(String route) {
      SET.put("route", route);
    }
  }
}
