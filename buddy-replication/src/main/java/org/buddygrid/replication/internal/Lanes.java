package org.buddygrid.replication.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddygrid.core.GridException;
import org.buddygrid.core.Member;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.Request;
import org.buddygrid.core.RequestTimeoutException;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.ReplicateBatch;
import org.buddygrid.replication.internal.Messages.ReplicateReplies;
import org.buddygrid.replication.internal.Messages.ReplicateReply;

/**
 * The owner's ordered channel of replication requests to each member (group commit).
 *
 * <p>One lane per destination route. While no {@link Replicate} to that member is on its way, a
 * request leaves at once, on the caller's thread. While one is, later requests wait in the lane;
 * when the last one on its way is answered, everything waiting leaves together: consecutive {@link
 * Replicate}s as one {@link ReplicateBatch} (one message and one reply for all of them), other
 * requests ({@code Invalidate}, {@code Rename}, {@code HandOff}) one by one, all in the order they
 * were submitted. Under concurrent commits this turns N request/reply pairs into one; a lone commit
 * waits for nothing.
 *
 * <p>Order: if {@link #request} for {@code a} returns before {@link #request} for {@code b} is
 * called, {@code a} is sent to the member before {@code b} (JGroups keeps that order on delivery).
 * This is what a session's lock gives today's callers: a delta, the release of a replaced backup
 * and a rename reach each backup in the order the owner made them.
 *
 * <p>Replies complete the returned futures outside any lane lock, so a caller may hold a session's
 * lock while submitting and react to replies by submitting again.
 */
final class Lanes implements AutoCloseable {
  /** Replicates per batch at most: bounds one message and one backup's work per reply. */
  static final int MAX_BATCH_ITEMS = 64;

  /**
   * What may wait in one lane, in requests and in bytes of attribute values (JGroups' flow control
   * gives each destination 2 MB of credit). A commit that finds its lane full waits for room, up to
   * the replication timeout, as it would wait for credit in JGroups: the backpressure that keeps
   * ASYNC commits, which do not wait for replies, from queueing without bound.
   */
  static final int MAX_WAITING = 4096;

  static final long MAX_WAITING_BYTES = 4L << 20;

  private final Messenger messenger;
  private final Metrics metrics;
  private final Duration timeout;
  private final boolean coalesce;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final ExecutorService drainer;

  /**
   * @param coalesce false sends every request at once, as its own message (for comparison)
   */
  Lanes(Messenger messenger, Metrics metrics, Duration timeout, boolean coalesce, String route) {
    this.messenger = messenger;
    this.metrics = metrics;
    this.timeout = timeout;
    this.coalesce = coalesce;
    this.drainer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "bg-lanes-" + route);
              t.setDaemon(true);
              return t;
            });
  }

  /** Sends {@code request} to {@code to} in lane order; completes with its reply. */
  CompletableFuture<ReplicateReply> request(Member to, Request<ReplicateReply> request) {
    if (!coalesce) {
      return messenger.request(to, request, timeout).toCompletableFuture();
    }
    return lanes.computeIfAbsent(to.route(), r -> new Lane()).submit(new Item(to, request));
  }

  /**
   * {@link #request}, waited for.
   *
   * @throws GridException if it failed, or no reply came within {@code wait}
   */
  ReplicateReply await(Member to, Request<ReplicateReply> request, Duration wait) {
    try {
      return request(to, request).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException("interrupted while waiting for " + to.route(), e);
    } catch (TimeoutException e) {
      throw new RequestTimeoutException(
          to.route()
              + " did not answer "
              + request.getClass().getSimpleName()
              + " within "
              + wait.toMillis()
              + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof GridException g
          ? g
          : new GridException("request to " + to.route() + " failed: " + cause, cause);
    }
  }

  /** Forgets the lanes of members that left; their waiting requests fail as they are sent. */
  void retain(Set<String> routes) {
    lanes.entrySet().removeIf(e -> !routes.contains(e.getKey()) && e.getValue().idle());
  }

  @Override
  public void close() {
    drainer.shutdownNow();
  }

  private record Item(
      Member to, Request<ReplicateReply> request, CompletableFuture<ReplicateReply> reply) {
    Item(Member to, Request<ReplicateReply> request) {
      this(to, request, new CompletableFuture<>());
    }

    boolean replicate() {
      return request instanceof Replicate;
    }

    void answer(ReplicateReply value, Throwable failure) {
      if (failure != null) {
        reply.completeExceptionally(failure);
      } else {
        reply.complete(value);
      }
    }

    /** Roughly what the request weighs in memory while it waits. */
    long weight() {
      long w = 64;
      if (request instanceof Replicate r) {
        for (byte[] v : r.changed().values()) {
          w += v.length + 32;
        }
      }
      return w;
    }
  }

  private final class Lane {
    private final ArrayDeque<Item> waiting = new ArrayDeque<>();

    /** Replicate sends (single or batch) on their way. */
    private int onTheirWay;

    /** A drain is sending what waited: new requests wait behind it. */
    private boolean draining;

    private long waitingBytes;

    CompletableFuture<ReplicateReply> submit(Item item) {
      synchronized (this) {
        if (busy()) {
          if (!roomFor(item)) {
            metrics.increment("replicate.lane-full");
            item.reply()
                .completeExceptionally(
                    new RequestTimeoutException(
                        "replication to "
                            + item.to().route()
                            + " is "
                            + waiting.size()
                            + " requests behind and made no room within "
                            + timeout.toMillis()
                            + " ms"));
            return item.reply();
          }
          if (busy()) {
            waiting.add(item);
            waitingBytes += item.weight();
            return item.reply();
          }
          // Everything left while this one waited for room: nothing to wait behind any more.
        }
        if (item.replicate()) {
          onTheirWay++;
        }
      }
      // Nothing on its way: leave now. A concurrent submit sees onTheirWay and waits; two
      // concurrent non-replicate sends have no order to keep.
      if (item.replicate()) {
        sendReplicates(List.of(item));
      } else {
        sendOther(item);
      }
      return item.reply();
    }

    private boolean busy() {
      return onTheirWay > 0 || draining || !waiting.isEmpty();
    }

    /** Waits (holding this lane's monitor) until {@code item} fits, or the timeout. */
    private boolean roomFor(Item item) {
      long deadline = System.nanoTime() + timeout.toNanos();
      boolean interrupted = false;
      try {
        while (!waiting.isEmpty()
            && (waiting.size() >= MAX_WAITING
                || waitingBytes + item.weight() > MAX_WAITING_BYTES)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        return true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    synchronized boolean idle() {
      return onTheirWay == 0 && !draining && waiting.isEmpty();
    }

    private void sendOther(Item item) {
      messenger
          .request(item.to(), item.request(), timeout)
          .whenComplete((reply, failure) -> item.answer(reply, failure));
    }

    /** Sends one Replicate as itself, several as a batch; counted on their way by the caller. */
    private void sendReplicates(List<Item> items) {
      if (items.size() == 1) {
        Item item = items.get(0);
        messenger
            .request(item.to(), item.request(), timeout)
            .whenComplete(
                (reply, failure) -> {
                  replicatesAnswered();
                  item.answer(reply, failure);
                });
        return;
      }
      List<Replicate> batch = new ArrayList<>(items.size());
      for (Item i : items) {
        batch.add((Replicate) i.request());
      }
      metrics.increment("replicate.batches");
      metrics.counter("replicate.batched").add(items.size());
      messenger
          .request(items.get(0).to(), new ReplicateBatch(batch), timeout)
          .whenComplete(
              (replies, failure) -> {
                replicatesAnswered();
                deliver(items, replies, failure);
              });
    }

    private void deliver(List<Item> items, ReplicateReplies replies, Throwable failure) {
      if (failure == null && (replies == null || replies.replies().size() != items.size())) {
        failure =
            new GridException(
                items.get(0).to().route()
                    + " answered a batch of "
                    + items.size()
                    + " with "
                    + (replies == null ? "nothing" : replies.replies().size() + " replies"));
      }
      for (int i = 0; i < items.size(); i++) {
        items.get(i).answer(failure == null ? replies.replies().get(i) : null, failure);
      }
    }

    private void replicatesAnswered() {
      boolean drain;
      synchronized (this) {
        onTheirWay--;
        drain = onTheirWay == 0 && !draining && !waiting.isEmpty();
        if (drain) {
          draining = true;
        }
      }
      if (drain) {
        try {
          drainer.execute(this::drain);
        } catch (RejectedExecutionException closed) {
          failWaiting(new GridException("the grid node is closing"));
        }
      }
    }

    private void failWaiting(GridException e) {
      List<Item> failed;
      synchronized (this) {
        failed = new ArrayList<>(waiting);
        waiting.clear();
        waitingBytes = 0;
        draining = false;
        notifyAll();
      }
      failed.forEach(i -> i.reply().completeExceptionally(e));
    }

    /** Sends everything that waited, in order; stops while Replicates are on their way again. */
    private void drain() {
      while (true) {
        List<List<Item>> out;
        synchronized (this) {
          if (waiting.isEmpty() || onTheirWay > 0) {
            draining = false;
            return;
          }
          out = segments(waiting);
          waiting.clear();
          waitingBytes = 0;
          notifyAll();
          // Counted before sending: a reply racing with this loop must not start a second drain.
          for (List<Item> segment : out) {
            if (segment.get(0).replicate()) {
              onTheirWay++;
            }
          }
        }
        for (List<Item> segment : out) {
          if (segment.get(0).replicate()) {
            sendReplicates(segment);
          } else {
            sendOther(segment.get(0));
          }
        }
      }
    }

    /**
     * {@code items} in order, as what leaves in one message each: runs of up to {@value
     * #MAX_BATCH_ITEMS} Replicates, and every other request alone.
     */
    private static List<List<Item>> segments(java.util.Collection<Item> items) {
      List<List<Item>> out = new ArrayList<>();
      List<Item> run = null;
      for (Item item : items) {
        if (!item.replicate()) {
          out.add(List.of(item));
          run = null;
          continue;
        }
        if (run == null || run.size() == MAX_BATCH_ITEMS) {
          run = new ArrayList<>();
          out.add(run);
        }
        run.add(item);
      }
      return out;
    }
  }
}
