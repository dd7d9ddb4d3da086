package org.buddygrid.core;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Typed messages between the members of a grid, over one JGroups {@code MessageDispatcher}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Messages from one member to another arrive in the order they were sent.
 *   <li>A request to a member that leaves the view before answering fails with {@link
 *       MemberLeftException} as soon as the view changes; one that gets no answer fails with {@link
 *       RequestTimeoutException} at its timeout; a remote handler failure arrives as {@link
 *       RemoteFailureException}.
 *   <li>Messages from senders that are not members are dropped and counted; so are malformed ones.
 *   <li>No Java serialization: every message and reply is written by its {@link
 *       org.buddygrid.core.wire.WireCodec}.
 * </ul>
 *
 * <p>Stages complete on JGroups threads: dependent actions must not block.
 */
public interface Messenger {
  /** Sends a request to one member; the stage completes with its reply. */
  <R> CompletionStage<R> request(Member to, Request<R> request, Duration timeout);

  /** Sends a request with the node's default timeout. */
  <R> CompletionStage<R> request(Member to, Request<R> request);

  /**
   * Sends a request and waits for the reply.
   *
   * @throws GridException the failure: {@link MemberLeftException}, {@link
   *     RequestTimeoutException}, {@link RemoteFailureException}
   */
  default <R> R requestAndWait(Member to, Request<R> request, Duration timeout) {
    try {
      return request(to, request, timeout).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException("interrupted while waiting for " + to, e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  /**
   * Sends one request to several members (one multicast when they are all the others) and gathers
   * their replies, until every one has answered or failed, or the timeout.
   */
  <R> CompletionStage<Responses<R>> gather(
      Collection<Member> to, Request<R> request, Duration timeout);

  /**
   * Like {@link #gather}, but finishes as soon as one reply satisfies {@code enough}; members that
   * have not answered by then are left out of the result.
   */
  <R> CompletionStage<Responses<R>> gatherUntil(
      Collection<Member> to, Request<R> request, Predicate<? super R> enough, Duration timeout);

  /** Sends a one-way message to one member. Delivery is reliable while both stay in the view. */
  void send(Member to, Object message);

  /** Sends a one-way message to every other member. */
  void broadcast(Object message);

  /** Installs the handler for one request type, replacing any earlier one. */
  <M extends Request<R>, R> void onRequest(Class<M> type, RequestHandler<M, R> handler);

  /** Installs the handler for one one-way message type, replacing any earlier one. */
  <M> void onMessage(Class<M> type, MessageHandler<M> handler);

  /** The unchecked exception inside a failed stage. */
  static GridException unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof GridException g) {
      return g;
    }
    return new GridException(String.valueOf(cause.getMessage()), cause);
  }
}
