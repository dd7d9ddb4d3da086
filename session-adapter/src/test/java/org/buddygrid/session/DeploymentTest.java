package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two ways to install filter mode, and what happens when it is off or misconfigured. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeploymentTest {

  private static void sessionHandler(TestNode node) {
    node.handle("s", (req, resp) -> resp.getWriter().print(req.getSession().getId()));
  }

  @Test
  void whenNotEnabledTheInitializerLeavesTheContainersSessionsAlone() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("off"));
    params.put("buddygrid.enabled", "false");
    try (TestNode node = TestNode.start(params)) {
      sessionHandler(node);
      Browser browser = new Browser();
      browser.get(node.uri("s"));
      assertThat(browser.sessionId()).isNotNull();
      assertThat(SessionId.parse(browser.sessionId())).as("Tomcat's own id").isEmpty();
      assertThat(BuddyGridSessions.isActive(node.servletContext())).isFalse();
      assertThat(node.servletContext().getFilterRegistrations()).isEmpty();
    }
  }

  @Test
  void theInitializerInstallsOneFilterFirstForEveryDispatcherType() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("sci"));
    try (TestNode node = TestNode.start(params, c -> c.setSessionTimeout(7))) {
      node.handle(
          "interval",
          (req, resp) -> resp.getWriter().print(req.getSession().getMaxInactiveInterval()));
      assertThat(new Browser().get(node.uri("interval")).body())
          .as("without buddygrid.max-inactive, the application's session timeout applies")
          .isEqualTo("420");
      var registration =
          node.servletContext().getFilterRegistration(BuddyGridInitializer.FILTER_NAME);
      assertThat(registration.getClassName()).isEqualTo(BuddyGridFilter.class.getName());
      assertThat(registration.getUrlPatternMappings()).containsExactly("/*");
      assertThat(node.context().findFilterMaps()[0].getDispatcherMapping())
          .isEqualTo(
              FilterMap.ASYNC
                  | FilterMap.ERROR
                  | FilterMap.FORWARD
                  | FilterMap.INCLUDE
                  | FilterMap.REQUEST);
      assertThat(BuddyGridSessions.route(node.servletContext())).contains("node1");
      assertThat(BuddyGridSessions.grid(node.servletContext()))
          .hasValueSatisfying(g -> assertThat(g.route()).isEqualTo("node1"));
    }
  }

  @Test
  void invalidSettingsFailTheDeployment() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("invalid"));
    params.put("buddygrid.timming", "SYNC");
    try (TestNode node = TestNode.start(params)) {
      assertThat(node.context().getState().isAvailable()).isFalse();
      assertThat(BuddyGridSessions.isActive(node.servletContext())).isFalse();
      assertThat(BuddyGridSessions.grid(node.servletContext())).isEmpty();
    }
    var listener = TestNode.params("node1", Clusters.uniqueName("invalid"));
    listener.put("buddygrid.listeners", "org.example.NoSuchListener");
    try (TestNode node = TestNode.start(listener)) {
      assertThat(node.context().getState().isAvailable()).isFalse();
    }
  }

  /** A filter declared the way web.xml declares it, configured by its init parameters. */
  private static void declareFilter(org.apache.catalina.Context context, Map<String, String> init) {
    FilterDef def = new FilterDef();
    def.setFilterName("buddygrid");
    def.setFilterClass(BuddyGridFilter.class.getName());
    def.setAsyncSupported("true");
    init.forEach(def::addInitParameter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("buddygrid");
    map.addURLPattern("/*");
    for (String type : new String[] {"REQUEST", "FORWARD", "INCLUDE", "ERROR", "ASYNC"}) {
      map.setDispatcher(type);
    }
    context.addFilterMapBefore(map);
  }

  @Test
  void aFilterDeclaredLikeWebXmlReadsItsInitParameters() throws Exception {
    String cluster = Clusters.uniqueName("webxml");
    Map<String, String> init =
        Map.of(
            "buddygrid.route", "declared1",
            "buddygrid.cluster", cluster,
            "buddygrid.stack", "loopback",
            "buddygrid.jmx", "false");
    try (TestNode node = TestNode.start(Map.of(), c -> declareFilter(c, init))) {
      sessionHandler(node);
      Browser browser = new Browser();
      browser.get(node.uri("s"));
      assertThat(SessionId.parse(browser.sessionId()).orElseThrow().route()).isEqualTo("declared1");
    }
  }

  @Test
  void theInitializerAddsNoSecondFilterWhenOneIsDeclared() throws Exception {
    var params = TestNode.params("node1", Clusters.uniqueName("both"));
    try (TestNode node = TestNode.start(params, c -> declareFilter(c, Map.of()))) {
      sessionHandler(node);
      assertThat(node.servletContext().getFilterRegistrations()).containsOnlyKeys("buddygrid");
      Browser browser = new Browser();
      browser.get(node.uri("s"));
      assertThat(SessionId.parse(browser.sessionId()).orElseThrow().route()).isEqualTo("node1");
    }
  }

  @Test
  void theApplicationsSessionCookieConfigNamesAndShapesTheCookie() throws Exception {
    for (String explicitSameSite : new String[] {null, "None"}) {
      var params = TestNode.params("node1", Clusters.uniqueName("cookie-config"));
      if (explicitSameSite != null) {
        params.put("buddygrid.cookie.same-site", explicitSameSite);
      }
      try (TestNode node =
          TestNode.start(
              params,
              c ->
                  c.addServletContainerInitializer(
                      (classes, ctx) -> {
                        var config = ctx.getSessionCookieConfig();
                        config.setName("SHOPSESSION");
                        config.setPath("/");
                        config.setDomain("127.0.0.1");
                        config.setMaxAge(600);
                        config.setAttribute("SameSite", "Strict");
                      },
                      null))) {
        sessionHandler(node);
        var response =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(node.uri("s")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().allValues("Set-Cookie"))
            .containsExactly(
                "SHOPSESSION="
                    + response.body()
                    + "; Max-Age=600; Path=/; Domain=127.0.0.1; HttpOnly; SameSite="
                    + (explicitSameSite == null ? "Strict" : explicitSameSite));
      }
    }
  }
}
