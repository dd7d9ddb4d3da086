package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.buddygrid.core.GridException;
import org.buddygrid.core.Member;
import org.buddygrid.core.MessageHandler;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.Request;
import org.buddygrid.core.RequestHandler;
import org.buddygrid.core.Responses;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Invalidate;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.ReplicateBatch;
import org.buddygrid.replication.internal.Messages.ReplicateReplies;
import org.buddygrid.replication.internal.Messages.ReplicateReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Group commit: what leaves when, in which order, and who learns which reply. */
@Timeout(20)
class LanesTest {
  private static final Member BACKUP = Member.of("node2");
  private static final Member OTHER = Member.of("node3");

  /** Records what is sent; the test answers each request by hand. */
  private static final class ScriptedMessenger implements Messenger {
    record Sent(Member to, Object request, CompletableFuture<Object> reply) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletionStage<R> request(Member to, Request<R> request, Duration timeout) {
      CompletableFuture<Object> reply = new CompletableFuture<>();
      sent.add(new Sent(to, request, reply));
      return (CompletionStage<R>) reply;
    }

    @Override
    public <R> CompletionStage<R> request(Member to, Request<R> request) {
      return request(to, request, Duration.ofSeconds(1));
    }

    @Override
    public <R> CompletionStage<Responses<R>> gather(
        Collection<Member> to, Request<R> request, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <R> CompletionStage<Responses<R>> gatherUntil(
        Collection<Member> to, Request<R> request, Predicate<? super R> enough, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void send(Member to, Object message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void broadcast(Object message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <M extends Request<R>, R> void onRequest(Class<M> type, RequestHandler<M, R> handler) {}

    @Override
    public <M> void onMessage(Class<M> type, MessageHandler<M> handler) {}

    Sent sent(int i) {
      await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() > i);
      return sent.get(i);
    }
  }

  private final ScriptedMessenger messenger = new ScriptedMessenger();
  private final Metrics metrics = new Metrics();
  private final List<Lanes> toClose = new ArrayList<>();

  private Lanes lanes(boolean coalesce) {
    Lanes l = new Lanes(messenger, metrics, Duration.ofSeconds(1), coalesce, "node1");
    toClose.add(l);
    return l;
  }

  @AfterEach
  void close() {
    toClose.forEach(Lanes::close);
  }

  private static Replicate delta(String id, long version) {
    return new Replicate(
        id, 1, version, version - 1, false, "node1", List.of("node2"), null, Map.of(), List.of());
  }

  private static ReplicateReply now(CompletableFuture<ReplicateReply> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLoneDeltaLeavesAtOnceAsItself() throws Exception {
    Lanes lanes = lanes(true);
    CompletableFuture<ReplicateReply> reply = lanes.request(BACKUP, delta("a", 2));

    assertThat(messenger.sent).hasSize(1);
    assertThat(messenger.sent(0).request()).isInstanceOf(Replicate.class);
    messenger.sent(0).reply().complete(new Applied(2));
    assertThat(now(reply)).isEqualTo(new Applied(2));
  }

  @Test
  void deltasWaitingBehindOneOnItsWayLeaveTogetherInOrderAndEachGetsItsOwnReply() throws Exception {
    Lanes lanes = lanes(true);
    CompletableFuture<ReplicateReply> first = lanes.request(BACKUP, delta("a", 2));
    CompletableFuture<ReplicateReply> second = lanes.request(BACKUP, delta("a", 3));
    CompletableFuture<ReplicateReply> third = lanes.request(BACKUP, delta("b", 7));
    CompletableFuture<ReplicateReply> fourth = lanes.request(BACKUP, delta("c", 4));
    assertThat(messenger.sent).as("nothing leaves while the first is on its way").hasSize(1);

    messenger.sent(0).reply().complete(new Applied(2));
    assertThat(now(first)).isEqualTo(new Applied(2));
    ScriptedMessenger.Sent batch = messenger.sent(1);
    assertThat(batch.to()).isEqualTo(BACKUP);
    assertThat(((ReplicateBatch) batch.request()).items())
        .containsExactly(delta("a", 3), delta("b", 7), delta("c", 4));
    assertThat(second).isNotDone();

    batch
        .reply()
        .complete(
            new ReplicateReplies(List.of(new Applied(3), new NeedFull(-1, -1), new Applied(4))));
    assertThat(now(second)).isEqualTo(new Applied(3));
    assertThat(now(third)).isEqualTo(new NeedFull(-1, -1));
    assertThat(now(fourth)).isEqualTo(new Applied(4));
    assertThat(metrics.counter("replicate.batches").sum()).isEqualTo(1);
    assertThat(metrics.counter("replicate.batched").sum()).isEqualTo(3);
  }

  @Test
  void aReleaseSubmittedAfterWaitingDeltasLeavesAfterThem() throws Exception {
    Lanes lanes = lanes(true);
    lanes.request(BACKUP, delta("a", 2));
    lanes.request(BACKUP, delta("a", 3));
    CompletableFuture<ReplicateReply> release = lanes.request(BACKUP, new Invalidate("a", 1));
    lanes.request(BACKUP, delta("b", 5));
    assertThat(messenger.sent).hasSize(1);

    messenger.sent(0).reply().complete(new Applied(2));
    // The waiting delta of "a", then the release, then the delta of "b": the order they came in.
    assertThat(messenger.sent(1).request()).isEqualTo(delta("a", 3));
    assertThat(messenger.sent(2).request()).isEqualTo(new Invalidate("a", 1));
    assertThat(messenger.sent(3).request()).isEqualTo(delta("b", 5));
    messenger.sent(2).reply().complete(new Applied(1));
    assertThat(now(release)).isEqualTo(new Applied(1));
  }

  @Test
  void otherBackupsHaveTheirOwnLane() {
    Lanes lanes = lanes(true);
    lanes.request(BACKUP, delta("a", 2));
    lanes.request(OTHER, delta("b", 2));

    assertThat(messenger.sent)
        .extracting(ScriptedMessenger.Sent::to)
        .containsExactly(BACKUP, OTHER);
  }

  @Test
  void aFailedBatchFailsEveryDeltaInIt() {
    List<CompletableFuture<ReplicateReply>> batched = twoSentAsABatch(lanes(true));

    messenger.sent(1).reply().completeExceptionally(new GridException("node2 left"));
    batched.forEach(LanesTest::assertFailed);
  }

  @Test
  void aBatchAnsweredWithTheWrongNumberOfRepliesFailsEveryDeltaInIt() {
    List<CompletableFuture<ReplicateReply>> batched = twoSentAsABatch(lanes(true));

    messenger.sent(1).reply().complete(new ReplicateReplies(List.of(new Applied(3))));
    batched.forEach(LanesTest::assertFailed);
  }

  /** One delta answered, two that waited behind it sent as a batch (not answered yet). */
  private List<CompletableFuture<ReplicateReply>> twoSentAsABatch(Lanes lanes) {
    lanes.request(BACKUP, delta("a", 2));
    List<CompletableFuture<ReplicateReply>> waiting =
        List.of(lanes.request(BACKUP, delta("a", 3)), lanes.request(BACKUP, delta("b", 7)));
    messenger.sent(0).reply().complete(new Applied(2));
    assertThat(messenger.sent(1).request()).isInstanceOf(ReplicateBatch.class);
    return waiting;
  }

  @Test
  void aFailedDeltaStillLetsTheWaitingOnesLeave() throws Exception {
    Lanes lanes = lanes(true);
    CompletableFuture<ReplicateReply> first = lanes.request(BACKUP, delta("a", 2));
    CompletableFuture<ReplicateReply> second = lanes.request(BACKUP, delta("b", 3));

    messenger.sent(0).reply().completeExceptionally(new GridException("timed out"));
    assertFailed(first);
    assertThat(messenger.sent(1).request()).isEqualTo(delta("b", 3));
    messenger.sent(1).reply().complete(new Applied(3));
    assertThat(now(second)).isEqualTo(new Applied(3));
  }

  @Test
  void aBatchHoldsAtMostItsLimitAndTheRestFollowsInTheNextMessage() {
    Lanes lanes = lanes(true);
    lanes.request(BACKUP, delta("first", 2));
    int waiting = Lanes.MAX_BATCH_ITEMS + 5;
    for (int i = 0; i < waiting; i++) {
      lanes.request(BACKUP, delta("s" + i, 2));
    }
    messenger.sent(0).reply().complete(new Applied(2));

    // Both leave at once: the limit bounds a message, not what may be on its way.
    assertThat(((ReplicateBatch) messenger.sent(1).request()).items())
        .hasSize(Lanes.MAX_BATCH_ITEMS);
    assertThat(((ReplicateBatch) messenger.sent(2).request()).items()).hasSize(5);
  }

  @Test
  void aFullLaneMakesTheNextRequestWaitForRoomAndFailsItWhenNoneComes() throws Exception {
    Lanes lanes = lanes(true);
    lanes.request(BACKUP, delta("first", 2));
    for (int i = 0; i < Lanes.MAX_WAITING; i++) {
      lanes.request(BACKUP, delta("s" + i, 2));
    }
    long start = System.nanoTime();
    CompletableFuture<ReplicateReply> over = lanes.request(BACKUP, delta("over", 2));
    assertThat(System.nanoTime() - start)
        .as("it waited for room")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
    assertFailed(over);
    assertThat(metrics.counter("replicate.lane-full").sum()).isEqualTo(1);

    // Room made while a request waits for it: it is taken.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<CompletableFuture<ReplicateReply>> waiting =
          pool.submit(() -> lanes.request(BACKUP, delta("later", 2)));
      messenger.sent(0).reply().complete(new Applied(2));
      CompletableFuture<ReplicateReply> later = waiting.get(5, TimeUnit.SECONDS);
      assertThat(later).isNotDone();
      // It waits behind the batches that made room; once they are answered, it leaves.
      int batches = Lanes.MAX_WAITING / Lanes.MAX_BATCH_ITEMS;
      await().atMost(Duration.ofSeconds(5)).until(() -> messenger.sent.size() == 1 + batches);
      for (int i = 1; i <= batches; i++) {
        messenger
            .sent(i)
            .reply()
            .complete(
                new ReplicateReplies(
                    java.util.Collections.nCopies(Lanes.MAX_BATCH_ITEMS, new Applied(2))));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> messenger.sent.stream().anyMatch(x -> delta("later", 2).equals(x.request())));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutCoalescingEveryRequestLeavesAtOnce() {
    Lanes lanes = lanes(false);
    lanes.request(BACKUP, delta("a", 2));
    lanes.request(BACKUP, delta("a", 3));
    lanes.request(BACKUP, delta("b", 7));

    assertThat(messenger.sent)
        .extracting(ScriptedMessenger.Sent::request)
        .containsExactly(delta("a", 2), delta("a", 3), delta("b", 7));
  }

  private static void assertFailed(CompletableFuture<ReplicateReply> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + f.join());
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(GridException.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
