package org.buddygrid.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.core.testing.TestMessages;
import org.buddygrid.core.testing.TestMessages.Echo;
import org.buddygrid.core.testing.TestMessages.Echoed;
import org.buddygrid.core.testing.TestMessages.Fail;
import org.buddygrid.core.testing.TestMessages.Never;
import org.buddygrid.core.testing.TestMessages.Note;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GridNodeClusterTest {
  private final Clusters cluster = Clusters.named("grid-core-test");

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static void installEcho(GridNode node) {
    node.messenger()
        .onRequest(
            Echo.class,
            (req, from) ->
                CompletableFuture.completedFuture(
                    new Echoed(req.text() + " from " + from.route(), node.route())));
  }

  @Test
  void membersSeeEachOtherWithRoutesAndTopologyTags() {
    GridNode a = cluster.start("a", TestMessages.CATALOG, b -> b.host("h1").rack("r1").zone("z1"));
    GridNode b = cluster.start("b", TestMessages.CATALOG, x -> x.host("h2").rack("r1").zone("z1"));
    GridNode c = cluster.start("c", TestMessages.CATALOG, x -> x.host("h2").rack("r2").zone("z2"));
    Clusters.awaitViewSize(3, a, b, c);
    for (GridNode n : List.of(a, b, c)) {
      assertThat(n.view().members()).extracting(Member::route).containsExactly("a", "b", "c");
    }
    Member seenA = c.member("a").orElseThrow();
    assertThat(seenA).isEqualTo(new Member("a", "h1", "r1", "z1"));
    assertThat(c.member("b").orElseThrow().sameHost(c.localMember())).isTrue();
    assertThat(a.localMember().sameRack(b.member("b").orElseThrow())).isTrue();
    assertThat(a.localMember().sameZone(c.localMember())).isFalse();
  }

  @Test
  void requestsAreAnsweredSyncAndAsync() throws Exception {
    List<GridNode> nodes = cluster.startAll(3, TestMessages.CATALOG);
    nodes.forEach(GridNodeClusterTest::installEcho);
    GridNode n1 = nodes.get(0);
    Member n2 = n1.member("node2").orElseThrow();
    Echoed sync = n1.messenger().requestAndWait(n2, new Echo("hi"), Duration.ofSeconds(5));
    assertThat(sync).isEqualTo(new Echoed("hi from node1", "node2"));
    CompletionStage<Echoed> async =
        n1.messenger().request(n1.member("node3").orElseThrow(), new Echo("yo"));
    assertThat(async.toCompletableFuture().get(5, TimeUnit.SECONDS).by()).isEqualTo("node3");
    // A node can ask itself.
    assertThat(
            n1.messenger()
                .requestAndWait(n1.localMember(), new Echo("me"), Duration.ofSeconds(5))
                .by())
        .isEqualTo("node1");
    assertThat(n1.metrics().count("requests.sent")).isGreaterThanOrEqualTo(3);
    assertThat(n1.metrics().timer("requests.Echo.latency").count()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void gatherCollectsEveryReplyAndGatherUntilStopsAtTheFirstGoodOne() throws Exception {
    List<GridNode> nodes = cluster.startAll(5, TestMessages.CATALOG);
    nodes.forEach(GridNodeClusterTest::installEcho);
    GridNode n1 = nodes.get(0);
    List<Member> others =
        n1.view().members().stream().filter(m -> !m.equals(n1.localMember())).toList();
    Responses<Echoed> all =
        n1.messenger()
            .gather(others, new Echo("all"), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(all.replies()).hasSize(4);
    assertThat(all.failures()).isEmpty();
    assertThat(all.replies().values())
        .extracting(Echoed::by)
        .containsExactlyInAnyOrder("node2", "node3", "node4", "node5");

    Responses<Echoed> first =
        n1.messenger()
            .gatherUntil(
                others, new Echo("first"), e -> e.by().equals("node4"), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(first.replies()).containsKey(n1.member("node4").orElseThrow());
    assertThat(first.failures()).isEmpty();

    // A subset goes as unicasts; only the targets answer.
    Responses<Echoed> two =
        n1.messenger()
            .gather(others.subList(0, 2), new Echo("two"), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(two.replies().keySet()).containsExactlyInAnyOrderElementsOf(others.subList(0, 2));
  }

  @Test
  void gatherReportsMembersThatTimeOutOrFail() throws Exception {
    List<GridNode> nodes = cluster.startAll(3, TestMessages.CATALOG);
    nodes.get(1).messenger().onRequest(Never.class, (req, from) -> new CompletableFuture<>());
    nodes
        .get(2)
        .messenger()
        .onRequest(
            Never.class,
            (req, from) -> CompletableFuture.completedFuture(new Echoed("ok", "node3")));
    GridNode n1 = nodes.get(0);
    Responses<Echoed> r =
        n1.messenger()
            .gather(
                List.of(member(n1, "node2"), member(n1, "node3")),
                new Never(1),
                Duration.ofMillis(500))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r.replies()).containsOnlyKeys(member(n1, "node3"));
    assertThat(r.failures().get(member(n1, "node2"))).isInstanceOf(RequestTimeoutException.class);
  }

  private static Member member(GridNode n, String route) {
    return n.member(route).orElseThrow();
  }

  @Test
  void broadcastReachesEveryOtherMemberAndSendReachesOne() {
    List<GridNode> nodes = cluster.startAll(4, TestMessages.CATALOG);
    Map<String, List<String>> received = new ConcurrentHashMap<>();
    for (GridNode n : nodes) {
      n.messenger()
          .onMessage(
              Note.class,
              (note, from) ->
                  received
                      .computeIfAbsent(n.route(), k -> new CopyOnWriteArrayList<>())
                      .add(note.text() + "<" + from.route()));
    }
    nodes.get(0).messenger().broadcast(new Note("hello"));
    nodes.get(1).messenger().send(member(nodes.get(1), "node4"), new Note("direct"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(received.get("node2")).containsExactly("hello<node1");
              assertThat(received.get("node3")).containsExactly("hello<node1");
              assertThat(received.get("node4"))
                  .containsExactlyInAnyOrder("hello<node1", "direct<node2");
            });
    assertThat(received).doesNotContainKey("node1");
  }

  @Test
  void messagesFromOneSenderArriveInOrder() {
    List<GridNode> nodes = cluster.startAll(2, TestMessages.CATALOG);
    List<String> got = new CopyOnWriteArrayList<>();
    nodes.get(1).messenger().onMessage(Note.class, (n, from) -> got.add(n.text()));
    Member to = member(nodes.get(0), "node2");
    for (int i = 0; i < 2000; i++) {
      nodes.get(0).messenger().send(to, new Note(Integer.toString(i)));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 2000);
    for (int i = 0; i < 2000; i++) {
      assertThat(got.get(i)).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void aRequestWithoutAnswerTimesOut() {
    List<GridNode> nodes = cluster.startAll(2, TestMessages.CATALOG);
    nodes.get(1).messenger().onRequest(Never.class, (req, from) -> new CompletableFuture<>());
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                nodes
                    .get(0)
                    .messenger()
                    .requestAndWait(
                        member(nodes.get(0), "node2"), new Never(1), Duration.ofMillis(300)))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("node2 did not answer Never within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(nodes.get(0).metrics().count("requests.failed.timeout")).isEqualTo(1);
  }

  @Test
  void aMemberLeavingMidRequestFailsTheRequestAtOnceNotAtTheTimeout() throws Exception {
    List<GridNode> nodes = cluster.startAll(3, TestMessages.CATALOG);
    CompletableFuture<Void> arrived = new CompletableFuture<>();
    nodes
        .get(1)
        .messenger()
        .onRequest(
            Never.class,
            (req, from) -> {
              arrived.complete(null);
              return new CompletableFuture<>();
            });
    CompletableFuture<Echoed> pending =
        nodes
            .get(0)
            .messenger()
            .request(member(nodes.get(0), "node2"), new Never(1), Duration.ofSeconds(60))
            .toCompletableFuture();
    arrived.get(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    nodes.get(1).close();
    assertThatThrownBy(() -> pending.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MemberLeftException.class)
        .hasMessageContaining("node2 left the view before answering");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    // And a request to a member that is already gone fails without being sent.
    Member gone = new Member("node2", nodes.get(1).localMember().host(), "", "");
    Clusters.awaitViewSize(2, nodes.get(0), nodes.get(2));
    assertThatThrownBy(
            () ->
                nodes.get(0).messenger().requestAndWait(gone, new Echo("x"), Duration.ofSeconds(5)))
        .isInstanceOf(MemberLeftException.class);
  }

  @Test
  void aHandlerThatThrowsSendsAnErrorAndTheNodeCarriesOn() {
    List<GridNode> nodes = cluster.startAll(2, TestMessages.CATALOG);
    GridNode n2 = nodes.get(1);
    installEcho(n2);
    n2.messenger()
        .onRequest(
            Fail.class,
            (req, from) -> {
              throw new IllegalStateException("cannot do " + req.why());
            });
    Member to = member(nodes.get(0), "node2");
    assertThatThrownBy(
            () ->
                nodes
                    .get(0)
                    .messenger()
                    .requestAndWait(to, new Fail("that"), Duration.ofSeconds(5)))
        .isInstanceOf(RemoteFailureException.class)
        .hasMessageContaining("cannot do that")
        .extracting(e -> ((RemoteFailureException) e).kind())
        .isEqualTo("IllegalStateException");
    // A stage completed exceptionally is reported the same way.
    n2.messenger()
        .onRequest(
            Fail.class,
            (req, from) -> CompletableFuture.failedFuture(new GridException("async " + req.why())));
    assertThatThrownBy(
            () ->
                nodes
                    .get(0)
                    .messenger()
                    .requestAndWait(to, new Fail("nope"), Duration.ofSeconds(5)))
        .isInstanceOf(RemoteFailureException.class)
        .hasMessageContaining("async nope");
    // No handler at all.
    assertThatThrownBy(
            () -> nodes.get(0).messenger().requestAndWait(to, new Never(2), Duration.ofSeconds(5)))
        .isInstanceOf(RemoteFailureException.class)
        .extracting(e -> ((RemoteFailureException) e).kind())
        .isEqualTo("no-handler");
    assertThat(
            nodes
                .get(0)
                .messenger()
                .requestAndWait(to, new Echo("still"), Duration.ofSeconds(5))
                .by())
        .isEqualTo("node2");
    assertThat(n2.metrics().count("handler.errors")).isEqualTo(2);
  }

  @Test
  void handlersCanOnlyBeInstalledForRegisteredTypes() {
    GridNode n = cluster.start("solo", TestMessages.CATALOG);
    assertThatThrownBy(() -> n.messenger().onMessage(String.class, (s, f) -> {}))
        .hasMessageContaining("add it to the node's WireCatalog");
  }

  @Test
  void membershipListenersSeeJoinsAndLeavesInOrderAndAThrowingListenerDoesNotStopOthers() {
    List<ViewChange> changes = new CopyOnWriteArrayList<>();
    GridNode a = cluster.builder("a").catalog(TestMessages.CATALOG).build();
    a.addMembershipListener(
        c -> {
          throw new IllegalStateException("listener bug");
        });
    a.addMembershipListener(changes::add);
    try {
      a.start();
      GridNode b = cluster.start("b", TestMessages.CATALOG);
      Clusters.awaitViewSize(2, a, b);
      b.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.view().size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> changes.size() == 3);
      assertThat(changes.get(0).joined()).extracting(Member::route).containsExactly("a");
      assertThat(changes.get(1).joined()).extracting(Member::route).containsExactly("b");
      assertThat(changes.get(2).left()).extracting(Member::route).containsExactly("b");
      assertThat(changes).noneMatch(ViewChange::merge);
      assertThat(changes.get(2).current().id()).isGreaterThan(changes.get(1).current().id());
    } finally {
      a.close();
    }
  }

  @Test
  void aSecondNodeWithATakenRouteDoesNotStartAndTheFirstIsUnaffected() {
    GridNode first = cluster.start("dup", TestMessages.CATALOG);
    installEcho(first);
    GridNode second =
        cluster
            .builder("dup")
            .catalog(TestMessages.CATALOG)
            .startTimeout(Duration.ofSeconds(2))
            .build();
    assertThatThrownBy(second::start)
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("route dup is already used")
        .hasMessageContaining("give each node a unique route");
    assertThat(first.view().members()).extracting(Member::route).containsExactly("dup");
    assertThat(second.isRunning()).isFalse();
  }

  @Test
  void aRestartedNodeMayReuseItsRouteOnceTheOldOneIsGone() {
    List<GridNode> nodes = cluster.startAll(2, TestMessages.CATALOG);
    nodes.get(1).close();
    GridNode again = cluster.start("node2", TestMessages.CATALOG);
    Clusters.awaitViewSize(2, nodes.get(0), again);
    installEcho(again);
    assertThat(
            nodes
                .get(0)
                .messenger()
                .requestAndWait(
                    member(nodes.get(0), "node2"), new Echo("back"), Duration.ofSeconds(5))
                .by())
        .isEqualTo("node2");
  }

  /** Guards the race where a member's introduction crosses ours during start(). */
  @Test
  void nodesStartingAtTheSameTimeAllJoin() throws Exception {
    for (int round = 0; round < 3; round++) {
      try (Clusters c = Clusters.named("concurrent-start")) {
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
          List<java.util.concurrent.Future<GridNode>> started = new java.util.ArrayList<>();
          for (int i = 1; i <= 4; i++) {
            GridNode n = c.builder("n" + i).catalog(TestMessages.CATALOG).build();
            started.add(pool.submit(n::start));
            cluster.closeLater(n);
          }
          List<GridNode> nodes = new java.util.ArrayList<>();
          for (var f : started) {
            nodes.add(f.get(60, TimeUnit.SECONDS));
          }
          Clusters.awaitViewSize(4, nodes);
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  @Test
  void closeIsIdempotentAndAClosedNodeCannotRestart() {
    GridNode n = cluster.start("once", TestMessages.CATALOG);
    n.close();
    n.close();
    assertThat(n.isRunning()).isFalse();
    assertThatThrownBy(n::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderRefusesBadSettingsWithMessagesThatSayWhatToDo() {
    assertThatThrownBy(() -> GridNode.builder().build()).hasMessageContaining("needs a route");
    assertThatThrownBy(() -> GridNode.builder().route("no.dots"))
        .hasMessageContaining("letters, digits");
    assertThatThrownBy(() -> GridNode.builder().route("x").requestTimeout(Duration.ZERO))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> GridNode.builder().route("x").rack("bad rack"))
        .hasMessageContaining("rack tag");
    assertThatThrownBy(() -> GridNode.builder().cluster(" ")).hasMessageContaining("cluster name");
    assertThatThrownBy(() -> org.buddygrid.jgroups.Stacks.named("tpc"))
        .hasMessageContaining("known stacks: loopback, udp, tcp");
  }

  @Test
  void aStackWithAnUnresolvedPlaceholderFailsStartNamingIt(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path xml = dir.resolve("custom.xml");
    java.nio.file.Files.writeString(
        xml,
        org.buddygrid.jgroups.Stacks.loopback()
            .xml()
            .replace(
                "<SHARED_LOOPBACK_PING/>",
                "<SHARED_LOOPBACK_PING num_discovery_runs=\"${buddygrid.test.unset}\"/>"));
    GridNode node =
        GridNode.builder()
            .route("x")
            .cluster(Clusters.uniqueName("bad"))
            .stack(org.buddygrid.jgroups.Stacks.named(xml.toString()))
            .jmx(false)
            .build();
    assertThatThrownBy(node::start)
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("Placeholder ${buddygrid.test.unset} has no value");
  }
}
