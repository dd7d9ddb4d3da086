package org.buddygrid.it.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster scenarios of issue 7, run by {@link FilterModeIT} and {@link TomcatModeIT} on three
 * embedded Tomcats in this JVM. Before each test the application is deployed on every node that
 * does not have it (in order, so each node joins the grid of the ones before); after the class's
 * last test it is undeployed everywhere. Every request goes to the node a balancer would pick, with
 * the session cookie moved by hand.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(180)
abstract class ClusterScenarios {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @ArquillianResource private Deployer deployer;

  /**
   * The nodes deployed now. Deploying is the slow part (filter mode loads JGroups and Kryo afresh
   * in each web application), so tests share the deployments: each test redeploys only the nodes an
   * earlier one took down, and the last undeploys all.
   */
  private static final Map<Class<?>, Set<Node>> DEPLOYED = new ConcurrentHashMap<>();

  private static final Map<Class<?>, AtomicInteger> TESTS_RUN = new ConcurrentHashMap<>();

  private final Set<Node> deployed =
      DEPLOYED.computeIfAbsent(getClass(), c -> ConcurrentHashMap.newKeySet());

  /** The context path of this mode's application: {@code /filter} or {@code /tomcat}. */
  abstract String contextPath();

  /** A new simulated browser of this mode's application. */
  Browser browser() {
    return new Browser(contextPath());
  }

  @BeforeEach
  void deployMissing() {
    Node.ALL.stream().filter(node -> !deployed.contains(node)).forEach(this::deploy);
  }

  /**
   * After the class's last test, undeploys every node (Arquillian's {@code Deployer} is not
   * available in {@code @AfterAll}). When only some tests run, the deployments stay until the
   * containers stop; each mode has its own context path, so the other mode can still deploy.
   */
  @AfterEach
  void undeployAfterTheLastTest() {
    long tests =
        Arrays.stream(ClusterScenarios.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(Test.class))
            .count();
    if (TESTS_RUN.computeIfAbsent(getClass(), c -> new AtomicInteger()).incrementAndGet() % tests
        == 0) {
      List<Node> left = new ArrayList<>(Node.ALL);
      Collections.reverse(left);
      left.stream().filter(deployed::contains).forEach(this::undeploy);
    }
  }

  private void deploy(Node node) {
    deployer.deploy(node.name());
    deployed.add(node);
    awaitGrid();
  }

  private void undeploy(Node node) {
    deployed.remove(node);
    deployer.undeploy(node.name());
    awaitGrid();
  }

  /**
   * Waits until every deployed node's grid has the others as members (filter mode, whose nodes find
   * each other over TCP; a node that found no one in time starts alone and merges later). Tomcat
   * mode's nodes share the in-JVM loopback stack and answer -1.
   */
  private void awaitGrid() {
    for (Node node : deployed) {
      await()
          .atMost(PATIENCE)
          .ignoreExceptions()
          .until(
              () -> {
                String members = browser().call(node, "members").body();
                return members.equals("-1") || Integer.parseInt(members) == deployed.size();
              });
    }
  }

  @Test
  void takeoverKeepsAttributesRewritesTheRouteAndSendsANewCookie() {
    Browser browser = browser();
    assertThat(browser.call(Node.NODE1, "set", "name", "color", "value", "blue").ok()).isTrue();
    assertThat(browser.call(Node.NODE1, "append", "value", "first").body()).isEqualTo("ok 1");
    assertThat(browser.route()).isEqualTo("node1");
    String base = browser.base();

    Browser.Reply taken = browser.call(Node.NODE2, "get", "name", "color");

    assertThat(taken.status()).isEqualTo(200);
    assertThat(taken.node()).isEqualTo("node2");
    assertThat(taken.body()).isEqualTo("blue");
    assertThat(taken.setCookie()).as("new cookie on takeover").isEqualTo(base + ".node2");
    Browser.Reply again = browser.call(Node.NODE2, "log");
    assertThat(again.body()).isEqualTo("first");
    assertThat(again.setCookie()).as("no cookie once the client has it").isNull();
    assertThat(browser.call(Node.NODE2, "append", "value", "second").body()).isEqualTo("ok 2");
    assertThat(browser.call(Node.NODE3, "log").body()).isEqualTo("first,second");
    assertThat(browser.sessionId()).isEqualTo(base + ".node3");
  }

  @Test
  void sessionsOfAnUndeployedNodeAreServedByTheOthersWithTheirAttributes() {
    int count = 120;
    List<Browser> browsers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Browser browser = browser();
      assertThat(browser.call(Node.NODE1, "set", "name", "client", "value", "client-" + i).ok())
          .isTrue();
      assertThat(browser.call(Node.NODE1, "append", "value", "item-" + i).ok()).isTrue();
      assertThat(browser.route()).isEqualTo("node1");
      browsers.add(browser);
    }

    undeploy(Node.NODE1);

    for (int i = 0; i < count; i++) {
      Browser browser = browsers.get(i);
      String base = browser.base();
      Node failover = i % 2 == 0 ? Node.NODE2 : Node.NODE3;
      Browser.Reply client = browser.call(failover, "get", "name", "client");
      assertThat(client.status()).as("session %d on %s", i, failover).isEqualTo(200);
      assertThat(client.body()).isEqualTo("client-" + i);
      assertThat(client.setCookie()).isEqualTo(base + "." + failover.name());
      assertThat(browser.call(failover, "log").body()).isEqualTo("item-" + i);
    }
  }

  @Test
  void rollingRedeployOfAllNodesLosesNoAcknowledgedWrite() {
    Writer writer = new Writer(4);
    CompletableFuture<Void> writing = CompletableFuture.runAsync(writer);
    try {
      writer.awaitMoreAcks(20);
      for (Node node : Node.ALL) {
        undeploy(node);
        writer.awaitMoreAcks(20);
        deploy(node);
        writer.awaitMoreAcks(20);
      }
    } finally {
      writer.stop.set(true);
      writing.join();
    }

    assertThat(writer.failures).as("unexpected answers").isEmpty();
    for (int b = 0; b < writer.browsers.size(); b++) {
      Browser browser = writer.browsers.get(b);
      Node owner = nodeOf(browser.route());
      Browser.Reply log = browser.call(owner, "log");
      assertThat(log.status()).isEqualTo(200);
      List<String> stored = Arrays.asList(log.body().split(","));
      assertThat(new LinkedHashSet<>(stored)).as("no write applied twice").hasSize(stored.size());
      List<String> acked = writer.acked.get(b);
      assertThat(stored.stream().filter(acked::contains).toList())
          .as("every acknowledged write of browser %d, in order", b)
          .isEqualTo(acked);
      String prefix = b + "-";
      assertThat(stored).allMatch(token -> token.startsWith(prefix));
    }
  }

  @Test
  void concurrentRequestsOnTwoNodesLoseNoAcknowledgedChange() {
    Browser creator = browser();
    assertThat(creator.call(Node.NODE1, "append", "value", "start").ok()).isTrue();
    String id = creator.sessionId();
    String base = creator.base();
    int perNode = 25;
    List<String> acked = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    List<String> unexpected = new CopyOnWriteArrayList<>();

    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (Node node : List.of(Node.NODE1, Node.NODE2)) {
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                Browser browser = browser();
                for (int i = 0; i < perNode; i++) {
                  // The same client's requests, split between two nodes by a balancer that
                  // ignores the route: each one carries the id the client first got.
                  browser.setSessionId(id);
                  String token = node.name() + "-" + i;
                  Browser.Reply reply = browser.call(node, "append", "value", token);
                  if (reply.ok()) {
                    acked.add(token);
                  } else if (reply.status() == 503
                      && "1".equals(reply.retryAfter())
                      && reply.setCookie() != null
                      && reply.setCookie().startsWith(base + ".")
                      && !reply.setCookie().endsWith("." + node.name())) {
                    refused.add(token);
                  } else {
                    unexpected.add(token + ": " + reply);
                  }
                }
              }));
    }
    clients.forEach(CompletableFuture::join);

    assertThat(unexpected).as("answers other than 200 or a 503 naming the new owner").isEmpty();
    Browser reader = browser();
    reader.setSessionId(id);
    List<String> stored = Arrays.asList(reader.call(Node.NODE3, "log").body().split(","));
    assertThat(stored.get(0)).isEqualTo("start");
    assertThat(new LinkedHashSet<>(stored)).as("no change applied twice").hasSize(stored.size());
    assertThat(stored).as("every acknowledged change").containsAll(acked);
    assertThat(stored.size() - 1).isBetween(acked.size(), acked.size() + refused.size());
    System.out.printf(
        "%s concurrent requests on two nodes: %d acknowledged, %d refused with 503, %d of those"
            + " applied%n",
        getClass().getSimpleName(), acked.size(), refused.size(), stored.size() - 1 - acked.size());
  }

  @Test
  void listenersHearCreationTakeoverHandOffAndDestruction() {
    Browser browser = browser();
    assertThat(browser.call(Node.NODE1, "probe").ok()).isTrue();
    String base = browser.base();
    assertThat(events(Node.NODE1, base)).containsExactly("created " + base);

    assertThat(browser.call(Node.NODE2, "get", "name", "probe").ok()).isTrue();

    assertThat(events(Node.NODE1, base))
        .containsExactly("created " + base, "willPassivate " + base);
    assertThat(events(Node.NODE2, base))
        .as("a takeover is no creation")
        .containsExactly("didActivate " + base);

    undeploy(Node.NODE2);

    // The hand-off on stop: the session reaches node1 or node3, whose probe is activated there.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                count(Node.NODE1, base, "didActivate") + count(Node.NODE3, base, "didActivate")
                    == 1);
    assertThat(events(Node.NODE3, base)).doesNotContain("created " + base);
    assertThat(browser.call(Node.NODE3, "invalidate").ok()).isTrue();
    assertThat(events(Node.NODE3, base)).endsWith("destroyed " + base);
    assertThat(events(Node.NODE1, base)).doesNotContain("destroyed " + base);
  }

  /** The events {@code node} logged for the session with id base {@code base}, in order. */
  private List<String> events(Node node, String base) {
    Browser.Reply reply = browser().call(node, "events");
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().lines().filter(line -> line.endsWith(" " + base)).toList();
  }

  private long count(Node node, String base, String event) {
    return events(node, base).stream().filter((event + " " + base)::equals).count();
  }

  private static Node nodeOf(String route) {
    return Node.ALL.stream().filter(n -> n.name().equals(route)).findFirst().orElseThrow();
  }

  /**
   * Keeps appending numbered tokens to one session per browser, sending each request where a
   * balancer would: to the node the session's route names, to the next node when that one does not
   * answer with the application (undeployed: Tomcat's 404, or no connection), and to the new owner
   * a 503 names. Only a 200 acknowledges a write.
   */
  private final class Writer implements Runnable {
    final List<Browser> browsers = new ArrayList<>();
    final List<List<String>> acked = new ArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger acks = new AtomicInteger();
    private final Node[] targets;

    Writer(int sessions) {
      targets = new Node[sessions];
      for (int b = 0; b < sessions; b++) {
        browsers.add(browser());
        acked.add(new CopyOnWriteArrayList<>());
        targets[b] = Node.ALL.get(b % Node.ALL.size());
      }
    }

    void awaitMoreAcks(int more) {
      int goal = acks.get() + more;
      await().atMost(PATIENCE).until(() -> acks.get() >= goal || !failures.isEmpty());
      assertThat(failures).isEmpty();
    }

    @Override
    public void run() {
      String[] bases = new String[browsers.size()];
      for (int n = 0; !stop.get(); n++) {
        for (int b = 0; b < browsers.size() && !stop.get(); b++) {
          Browser browser = browsers.get(b);
          String token = b + "-" + n;
          Browser.Reply reply;
          try {
            reply = browser.call(targets[b], "append", "value", token);
          } catch (UncheckedIOException e) {
            targets[b] = targets[b].next();
            continue;
          }
          if (reply.node().isEmpty()) {
            targets[b] = targets[b].next();
            continue;
          }
          if (bases[b] == null) {
            bases[b] = browser.base();
          } else if (!bases[b].equals(browser.base())) {
            failures.add(
                "browser " + b + " got a new session " + browser.sessionId() + " at " + token);
          }
          if (reply.ok()) {
            acked.get(b).add(token);
            acks.incrementAndGet();
          } else if (reply.status() != 503) {
            failures.add(token + ": " + reply);
          }
          targets[b] = nodeOf(browser.route());
        }
      }
    }
  }
}
