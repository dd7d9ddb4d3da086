package org.buddygrid.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Filter mode on two managed WildFly servers, each with the same WAR (BuddyGrid and its libraries
 * in {@code WEB-INF/lib}, a tcp stack on 127.0.0.1): a session made on server1 and requested on
 * server2 is taken over there with its attributes and a cookie naming server2; and when the
 * application is undeployed on server1, or server1 stops, every one of its sessions is served by
 * server2 with its attributes. The servers run with free port offsets; the last test stops server1.
 *
 * <p>Arquillian undeploys the application and stops the servers it started after the class; if this
 * JVM ends first, WildFly's launcher kills them from a shutdown hook.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyFailoverIT {
  private static final String CLUSTER = "wildfly-it-" + UUID.randomUUID();
  private static final WildFlyServer SERVER1 = WildFlyServer.withFreePorts("server1");
  private static final WildFlyServer SERVER2 = WildFlyServer.withFreePorts("server2");
  private static final List<WildFlyServer> SERVERS = List.of(SERVER1, SERVER2);
  private static final int SESSIONS = 120;

  @ArquillianResource private ContainerController containers;
  @ArquillianResource private Deployer deployer;

  @Deployment(name = "server1", managed = false, testable = false)
  @TargetsContainer("server1")
  static WebArchive onServer1() {
    return TestWar.create(CLUSTER, SERVERS);
  }

  @Deployment(name = "server2", managed = false, testable = false)
  @TargetsContainer("server2")
  static WebArchive onServer2() {
    return TestWar.create(CLUSTER, SERVERS);
  }

  /**
   * Both servers run the application, and their grids see each other. Undertow starts a web
   * application's filters at its first request, so BuddyGrid joins the grid then: the wait asks
   * both servers each time.
   */
  @BeforeEach
  @Timeout(420) // two starts of at most 180 s each, then the grid
  void bothServersServeTheApplication() {
    for (WildFlyServer s : SERVERS) {
      if (!containers.isStarted(s.name())) {
        containers.start(s.name(), s.containerConfig());
      }
      if (new Browser().get(s.app() + "grid").status() != 200) {
        deployer.deploy(s.name());
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(SERVERS)
                    .allSatisfy(
                        s ->
                            assertThat(new Browser().get(s.app() + "grid").get("members"))
                                .isEqualTo("server1,server2")));
  }

  @Test
  @Order(1)
  @Timeout(120)
  void theWarRunsOnItsOwnLibrariesAndWildFlyMakesNoSessionsOfItsOwn() throws IOException {
    for (WildFlyServer s : SERVERS) {
      Browser.Answer grid = new Browser().get(s.app() + "grid");
      assertThat(grid.get("servedBy")).isEqualTo(s.name());
      assertThat(grid.get("active")).isEqualTo("true");
      assertThat(grid.get("jgroups.version"))
          .as("WildFly ships JGroups 5.5.2; the WAR's 5.5.7 must be the one used")
          .startsWith("5.5.7");
      assertThat(grid.values())
          .containsEntry("jgroups.fromWar", "true")
          .containsEntry("kryo.fromWar", "true")
          .containsEntry("caffeine.fromWar", "true")
          .containsEntry("buddygrid.fromWar", "true");
    }
    Browser browser = new Browser();
    Browser.Answer created = browser.post(SERVER1.app() + "session?user=alice&item=mug");
    assertThat(created.get("sessionClass")).startsWith("org.buddygrid.session.");
    assertThat(created.get("id")).matches("[A-Za-z0-9_-]{24}\\.server1");
    assertThat(created.sessionCookies()).containsExactly(created.get("id"));
    assertUndertowMadeNoSessions();
  }

  @Test
  @Order(2)
  @Timeout(120)
  void aSessionRequestedOnServer2IsTakenOverWithItsAttributesAndTheRouteRewritten()
      throws IOException {
    Browser browser = new Browser();
    Browser.Answer first = browser.post(SERVER1.app() + "session?user=alice&item=mug");
    String base = first.get("id").substring(0, first.get("id").indexOf('.'));
    assertThat(first.get("id")).isEqualTo(base + ".server1");
    assertThat(first.sessionCookies()).containsExactly(base + ".server1");
    Browser.Answer second = browser.post(SERVER1.app() + "session?item=espresso");
    assertThat(second.sessionCookies()).as("the client has the cookie already").isEmpty();
    assertThat(second.get("visits")).isEqualTo("2");

    Browser.Answer takenOver = browser.get(SERVER2.app() + "session");
    assertThat(takenOver.get("servedBy")).isEqualTo("server2");
    assertThat(takenOver.get("id")).isEqualTo(base + ".server2");
    assertThat(takenOver.get("user")).isEqualTo("alice");
    assertThat(takenOver.get("items")).isEqualTo("mug,espresso");
    assertThat(takenOver.get("visits")).isEqualTo("2");
    assertThat(takenOver.sessionCookies())
        .as("a new cookie whose route names the new owner")
        .containsExactly(base + ".server2");
    assertThat(browser.sessionId()).contains(base + ".server2");

    Browser.Answer onServer2 = browser.post(SERVER2.app() + "session?item=tea");
    assertThat(onServer2.get("visits")).isEqualTo("3");
    assertThat(onServer2.get("items")).isEqualTo("mug,espresso,tea");
    assertThat(onServer2.sessionCookies()).isEmpty();

    Browser.Answer back = browser.get(SERVER1.app() + "session");
    assertThat(back.get("servedBy")).isEqualTo("server1");
    assertThat(back.get("id")).isEqualTo(base + ".server1");
    assertThat(back.get("items")).as("server2's change came back").isEqualTo("mug,espresso,tea");
    assertThat(back.get("visits")).isEqualTo("3");
    assertThat(back.sessionCookies()).containsExactly(base + ".server1");
    assertUndertowMadeNoSessions();
  }

  @Test
  @Order(3)
  @Timeout(180)
  void undeployingTheApplicationOnServer1HandsEverySessionToServer2() {
    List<Browser> browsers = sessionsOn(SERVER1);
    deployer.undeploy("server1");
    awaitAlone(SERVER2);
    allServedBy(SERVER2, browsers);
  }

  @Test
  @Order(4)
  @Timeout(180)
  void stoppingServer1HandsEverySessionToServer2() {
    List<Browser> browsers = sessionsOn(SERVER1);
    containers.stop("server1");
    awaitAlone(SERVER2);
    allServedBy(SERVER2, browsers);
  }

  /** {@value #SESSIONS} sessions made on {@code server}, each with attributes of its own. */
  private static List<Browser> sessionsOn(WildFlyServer server) {
    int before = owned(server);
    List<Browser> browsers = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      Browser b = new Browser();
      Browser.Answer a = b.post(server.app() + "session?user=user" + i + "&item=first" + i);
      assertThat(a.get("id")).endsWith("." + server.name());
      if (i % 3 == 0) {
        assertThat(b.post(server.app() + "session?item=second" + i).get("visits")).isEqualTo("2");
      }
      browsers.add(b);
    }
    assertThat(owned(server)).isEqualTo(before + SESSIONS);
    return browsers;
  }

  /**
   * Every session of {@link #sessionsOn} is served by {@code server} with its attributes, under its
   * id with {@code server}'s route, and the browser gets that id as a new cookie.
   */
  private static void allServedBy(WildFlyServer server, List<Browser> browsers) {
    for (int i = 0; i < browsers.size(); i++) {
      Browser browser = browsers.get(i);
      String old = browser.sessionId().orElseThrow();
      String id = old.substring(0, old.indexOf('.')) + "." + server.name();
      Browser.Answer a = browser.get(server.app() + "session");
      assertThat(a.status()).as("session %d", i).isEqualTo(200);
      assertThat(a.get("servedBy")).isEqualTo(server.name());
      assertThat(a.get("id")).as("session %d", i).isEqualTo(id);
      assertThat(a.get("user")).as("session %d", i).isEqualTo("user" + i);
      assertThat(a.get("items"))
          .as("session %d", i)
          .isEqualTo(i % 3 == 0 ? "first" + i + ",second" + i : "first" + i);
      assertThat(a.get("visits")).as("session %d", i).isEqualTo(i % 3 == 0 ? "2" : "1");
      assertThat(a.sessionCookies()).as("session %d", i).containsExactly(id);
    }
  }

  private static int owned(WildFlyServer server) {
    return Integer.parseInt(new Browser().get(server.app() + "grid").get("owned"));
  }

  /** Waits until {@code server}'s grid has no other member. */
  private static void awaitAlone(WildFlyServer server) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(new Browser().get(server.app() + "grid").get("members"))
                    .isEqualTo(server.name()));
  }

  /**
   * Undertow's own session manager of the test WAR was never asked for a session on either server:
   * BuddyGrid's filter serves them all (its {@code sessions-created}, counted because the servers
   * run with Undertow's statistics on).
   */
  private static void assertUndertowMadeNoSessions() throws IOException {
    for (WildFlyServer s : SERVERS) {
      assertThat(undertowSessions(s, "sessions-created"))
          .as("Undertow sessions on %s", s.name())
          .isZero();
    }
  }

  /** An attribute of the test WAR's Undertow session manager on {@code server}. */
  private static long undertowSessions(WildFlyServer server, String attribute) throws IOException {
    try (ModelControllerClient client =
        ModelControllerClient.Factory.create("remote+http", "127.0.0.1", server.managementPort())) {
      ModelNode address =
          Operations.createAddress(
              "deployment", WildFlyServer.CONTEXT + ".war", "subsystem", "undertow");
      ModelNode result =
          client.execute(Operations.createReadAttributeOperation(address, attribute));
      assertThat(Operations.isSuccessfulOutcome(result)).as("%s", result).isTrue();
      return Operations.readResult(result).asLong();
    }
  }
}
