package org.buddygrid.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.internal.CoreMessages;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.core.testing.TestMessages;
import org.buddygrid.core.testing.TestMessages.Echo;
import org.buddygrid.core.testing.TestMessages.Echoed;
import org.buddygrid.core.testing.TestMessages.Note;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.jgroups.Stacks;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.ObjectMessage;
import org.jgroups.fork.ForkChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input at the node's boundary, host-provided channels, and partitions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GridNodeBoundaryTest {
  private final Clusters cluster = Clusters.named("grid-core-boundary");
  private final List<JChannel> rawChannels = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    cluster.close();
    rawChannels.forEach(JChannel::close);
  }

  private JChannel rawMember() throws Exception {
    JChannel ch = Stacks.loopback().newChannel();
    rawChannels.add(ch);
    ch.connect(cluster.name());
    return ch;
  }

  /** The oldest member of the raw channel's view: the grid node started first. */
  private static Address oldest(JChannel ch) {
    return ch.getView().getMembers().get(0);
  }

  @Test
  void messagesFromNonMembersAreIgnoredAndCounted() throws Exception {
    GridNode node = cluster.start("node1", TestMessages.CATALOG);
    List<String> notes = new CopyOnWriteArrayList<>();
    node.messenger().onMessage(Note.class, (n, from) -> notes.add(n.text()));
    JChannel stranger = rawMember();
    await().atMost(Duration.ofSeconds(10)).until(() -> node.channel().getView().size() == 2);
    // A valid frame of a grid type, from a JGroups member that never introduced itself.
    byte[] frame = TestMessages.CATALOG.encode(new Note("sneaky"));
    org.jgroups.blocks.MessageDispatcher d = new org.jgroups.blocks.MessageDispatcher(stranger);
    d.sendMessage(
        new BytesMessage(oldest(stranger), frame), org.jgroups.blocks.RequestOptions.ASYNC());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> node.metrics().count("wire.rejected.non-member") >= 1);
    assertThat(notes).isEmpty();
    assertThat(node.view().members()).extracting(Member::route).containsExactly("node1");
  }

  @Test
  void malformedFramesAreRejectedByKindAndTheNodeKeepsServing() throws Exception {
    List<GridNode> nodes = cluster.startAll(2, TestMessages.CATALOG);
    nodes
        .get(1)
        .messenger()
        .onRequest(
            Echo.class, (r, f) -> CompletableFuture.completedFuture(new Echoed(r.text(), "node2")));
    JChannel stranger = rawMember();
    Clusters.awaitViewSize(2, nodes);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodes.get(1).channel().getView().size() == 3);
    Address node2 = stranger.getView().getMembers().get(1);
    org.jgroups.blocks.MessageDispatcher d = new org.jgroups.blocks.MessageDispatcher(stranger);
    org.jgroups.blocks.RequestOptions oneWay = org.jgroups.blocks.RequestOptions.ASYNC();
    d.sendMessage(new BytesMessage(node2, new byte[] {WireCatalog.FORMAT_VERSION}), oneWay);
    d.sendMessage(new BytesMessage(node2, new byte[] {WireCatalog.FORMAT_VERSION, 99}), oneWay);
    d.sendMessage(new BytesMessage(node2, new byte[] {7, 1}), oneWay);
    byte[] frame = TestMessages.CATALOG.encode(new Echo("x"));
    byte[] trailing = java.util.Arrays.copyOf(frame, frame.length + 3);
    d.sendMessage(new BytesMessage(node2, trailing), oneWay);
    d.sendMessage(new ObjectMessage(node2, "a java object"), oneWay);
    GridNode n2 = nodes.get(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(n2.metrics().count("wire.rejected.truncated")).isEqualTo(1);
              assertThat(n2.metrics().count("wire.rejected.unknown-type")).isEqualTo(1);
              assertThat(n2.metrics().count("wire.rejected.unsupported-version")).isEqualTo(1);
              assertThat(n2.metrics().count("wire.rejected.trailing-bytes")).isEqualTo(1);
              assertThat(n2.metrics().count("wire.rejected.not-bytes")).isEqualTo(1);
            });
    Echoed ok =
        nodes
            .get(0)
            .messenger()
            .requestAndWait(
                nodes.get(0).member("node2").orElseThrow(),
                new Echo("fine"),
                Duration.ofSeconds(5));
    assertThat(ok.text()).isEqualTo("fine");
  }

  @Test
  void aForgedHelloCannotClaimARouteAlreadyHeld() throws Exception {
    GridNode node = cluster.start("node1", TestMessages.CATALOG);
    JChannel stranger = rawMember();
    org.jgroups.blocks.MessageDispatcher d = new org.jgroups.blocks.MessageDispatcher(stranger);
    WireCatalog core = CoreMessages.catalog();
    byte[] hello = core.encode(new CoreMessages.Hello(Member.of("node1")));
    d.sendMessage(
        new BytesMessage(stranger.getView().getMembers().get(0), hello),
        org.jgroups.blocks.RequestOptions.SYNC().timeout(5000));
    await().atMost(Duration.ofSeconds(5)).until(() -> node.channel().getView().size() == 2);
    assertThat(node.view().members()).extracting(Member::route).containsExactly("node1");
  }

  @Test
  void nodesRunOnForkChannelsOfAHostsSharedChannel() throws Exception {
    String name = Clusters.uniqueName("fork");
    JChannel main1 = Stacks.loopback().newChannel();
    JChannel main2 = Stacks.loopback().newChannel();
    rawChannels.add(main1);
    rawChannels.add(main2);
    main1.connect(name);
    main2.connect(name);
    ForkChannel fork1 =
        new ForkChannel(
            main1, "buddygrid", "sessions", true, ProtocolStack.Position.ABOVE, FRAG4.class);
    ForkChannel fork2 =
        new ForkChannel(
            main2, "buddygrid", "sessions", true, ProtocolStack.Position.ABOVE, FRAG4.class);
    try (GridNode a =
            GridNode.builder()
                .route("fa")
                .cluster(name)
                .channel(fork1)
                .catalog(TestMessages.CATALOG)
                .jmx(false)
                .build()
                .start();
        GridNode b =
            GridNode.builder()
                .route("fb")
                .cluster(name)
                .channel(fork2)
                .catalog(TestMessages.CATALOG)
                .jmx(false)
                .build()
                .start()) {
      Clusters.awaitViewSize(2, a, b);
      b.messenger()
          .onRequest(
              Echo.class, (r, f) -> CompletableFuture.completedFuture(new Echoed(r.text(), "fb")));
      assertThat(
              a.messenger()
                  .requestAndWait(
                      a.member("fb").orElseThrow(), new Echo("via fork"), Duration.ofSeconds(5))
                  .by())
          .isEqualTo("fb");
    }
    // The host's channels belong to the host: the nodes did not close them.
    assertThat(main1.isConnected()).isTrue();
    assertThat(main2.isConnected()).isTrue();
  }

  @Test
  void aPartitionSplitsTheViewAndHealingReportsAMergeWithBothSides() throws Exception {
    List<GridNode> nodes = cluster.startAll(3, TestMessages.CATALOG);
    List<ViewChange> changes = new CopyOnWriteArrayList<>();
    nodes.get(0).addMembershipListener(changes::add);
    GridNode c = nodes.get(2);
    Address cAddr = c.channel().getAddress();
    List<DISCARD> inserted = new CopyOnWriteArrayList<>();
    try {
      for (GridNode n : nodes) {
        DISCARD discard = new DISCARD();
        if (n == c) {
          discard.discardAll(true);
        } else {
          discard.addIgnoreMember(cAddr);
        }
        n.channel()
            .getProtocolStack()
            .insertProtocol(discard, ProtocolStack.Position.ABOVE, SHARED_LOOPBACK.class);
        discard.init();
        discard.start();
        inserted.add(discard);
      }
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> nodes.get(0).view().size() == 2 && c.view().size() == 1);
    } finally {
      for (GridNode n : nodes) {
        n.channel().getProtocolStack().removeProtocol(DISCARD.class);
      }
    }
    Clusters.awaitViewSize(3, nodes);
    await().atMost(Duration.ofSeconds(5)).until(() -> changes.stream().anyMatch(ViewChange::merge));
    ViewChange merge = changes.stream().filter(ViewChange::merge).findFirst().orElseThrow();
    assertThat(merge.joined()).extracting(Member::route).containsExactly("node3");
    assertThat(merge.subgroups()).hasSize(2);
    assertThat(merge.subgroups().stream().flatMap(List::stream).map(Member::route))
        .containsExactlyInAnyOrder("node1", "node2", "node3");
  }
}
