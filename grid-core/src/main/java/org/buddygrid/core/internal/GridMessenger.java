package org.buddygrid.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.buddygrid.core.GridException;
import org.buddygrid.core.Member;
import org.buddygrid.core.MemberLeftException;
import org.buddygrid.core.MessageHandler;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.RemoteFailureException;
import org.buddygrid.core.Request;
import org.buddygrid.core.RequestHandler;
import org.buddygrid.core.RequestTimeoutException;
import org.buddygrid.core.Responses;
import org.buddygrid.core.internal.CoreMessages.ErrorReply;
import org.buddygrid.core.internal.CoreMessages.Hello;
import org.buddygrid.core.internal.CoreMessages.NullReply;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.core.metrics.Timer;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireOutput;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.SuspectedException;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.Response;
import org.jgroups.blocks.RspFilter;
import org.jgroups.util.Rsp;
import org.jgroups.util.RspList;

/**
 * The {@link Messenger} of one node: encodes with the node's {@link WireCatalog}, sends through one
 * {@link MessageDispatcher}, and dispatches what arrives to one handler per type. Nothing it does
 * on a JGroups thread throws into JGroups.
 */
public final class GridMessenger implements Messenger, org.jgroups.blocks.RequestHandler {
  private static final System.Logger LOG = System.getLogger(GridMessenger.class.getName());

  private final String route;
  private final WireCatalog catalog;
  private final Metrics metrics;
  private final Duration defaultTimeout;
  private final ScheduledExecutorService timer;
  private final RejectLog rejects;
  private final ConcurrentHashMap<Class<?>, RequestHandler<?, ?>> requestHandlers =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, MessageHandler<?>> messageHandlers =
      new ConcurrentHashMap<>();
  private final ClassValue<Timer> latency =
      new ClassValue<>() {
        @Override
        protected Timer computeValue(Class<?> type) {
          return metrics.timer("requests." + type.getSimpleName() + ".latency");
        }
      };
  private volatile Membership membership;
  private volatile MessageDispatcher dispatcher;
  private volatile boolean open = true;

  public GridMessenger(
      String route,
      WireCatalog catalog,
      Metrics metrics,
      Duration defaultTimeout,
      ScheduledExecutorService timer) {
    this.route = route;
    this.catalog = catalog;
    this.metrics = metrics;
    this.defaultTimeout = defaultTimeout;
    this.timer = timer;
    this.rejects = new RejectLog(route, "wire.rejected", metrics);
  }

  void attach(MessageDispatcher dispatcher, Membership membership) {
    this.dispatcher = dispatcher;
    this.membership = membership;
  }

  void close() {
    open = false;
  }

  // ------------------------------------------------------------------ outbound

  @Override
  public <R> CompletionStage<R> request(Member to, Request<R> request) {
    return request(to, request, defaultTimeout);
  }

  @Override
  public <R> CompletionStage<R> request(Member to, Request<R> request, Duration timeout) {
    Address address = membership.addressOf(to);
    if (address == null) {
      metrics.increment("requests.failed.member-left");
      return CompletableFuture.failedFuture(
          new MemberLeftException(to.route(), to.route() + " is not a member of the current view"));
    }
    return requestTo(address, to.route(), request, timeout);
  }

  <R> CompletableFuture<R> requestTo(Address to, String toRoute, Object request, Duration timeout) {
    CompletableFuture<R> result = new CompletableFuture<>();
    MessageDispatcher d = dispatcher;
    if (!open || d == null) {
      result.completeExceptionally(new GridException(route + ": the grid node is not running"));
      return result;
    }
    long start = System.nanoTime();
    Timer timerForType = latency.get(request.getClass());
    CompletableFuture<Message> pending;
    try {
      pending = d.sendMessageWithFuture(frame(to, request), RequestOptions.SYNC());
    } catch (Exception e) {
      result.completeExceptionally(
          new GridException(route + ": could not send to " + toRoute + ": " + e, e));
      return result;
    }
    metrics.increment("requests.sent");
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              // Count before completing, so whoever sees the failure also sees it counted.
              java.util.concurrent.atomic.LongAdder timeouts =
                  metrics.counter("requests.failed.timeout");
              timeouts.increment();
              if (result.completeExceptionally(
                  new RequestTimeoutException(
                      toRoute
                          + " did not answer "
                          + request.getClass().getSimpleName()
                          + " within "
                          + timeout.toMillis()
                          + " ms"))) {
                pending.cancel(false);
              } else {
                timeouts.decrement();
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    pending.whenComplete(
        (reply, failure) -> {
          deadline.cancel(false);
          if (failure != null) {
            result.completeExceptionally(mapFailure(toRoute, failure));
            return;
          }
          try {
            @SuppressWarnings("unchecked")
            R value = (R) decodeReply(toRoute, reply);
            timerForType.recordNanos(System.nanoTime() - start);
            result.complete(value);
          } catch (GridException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private GridException mapFailure(String toRoute, Throwable failure) {
    Throwable t =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof SuspectedException) {
      metrics.increment("requests.failed.member-left");
      return new MemberLeftException(toRoute, toRoute + " left the view before answering");
    }
    if (t instanceof GridException g) {
      return g;
    }
    return new GridException(route + ": request to " + toRoute + " failed: " + t, t);
  }

  private Object decodeReply(String fromRoute, Message reply) {
    Object decoded;
    try {
      decoded = catalog.decode(reply.getArray(), reply.getOffset(), reply.getLength());
    } catch (MalformedMessageException e) {
      rejects.reject(e.kind(), fromRoute, "reply: " + e.getMessage());
      throw new RemoteFailureException(fromRoute, "malformed-reply", e.getMessage());
    } catch (RuntimeException e) {
      rejects.reject("not-bytes", fromRoute, "reply of type " + reply.getClass().getSimpleName());
      throw new RemoteFailureException(fromRoute, "malformed-reply", "reply is not a byte message");
    }
    if (decoded instanceof ErrorReply err) {
      metrics.increment("requests.failed.remote");
      throw new RemoteFailureException(fromRoute, err.kind(), err.message());
    }
    return decoded == NullReply.INSTANCE ? null : decoded;
  }

  private Message frame(Address to, Object message) {
    WireOutput out = new WireOutput();
    catalog.encode(message, out);
    metrics.counter("bytes.sent").add(out.size());
    return new BytesMessage(to, out.array(), 0, out.size());
  }

  @Override
  public <R> CompletionStage<Responses<R>> gather(
      Collection<Member> to, Request<R> request, Duration timeout) {
    return gatherUntil(to, request, r -> false, timeout);
  }

  @Override
  public <R> CompletionStage<Responses<R>> gatherUntil(
      Collection<Member> to, Request<R> request, Predicate<? super R> enough, Duration timeout) {
    CompletableFuture<Responses<R>> result = new CompletableFuture<>();
    MessageDispatcher d = dispatcher;
    if (!open || d == null) {
      result.completeExceptionally(new GridException(route + ": the grid node is not running"));
      return result;
    }
    Map<Address, Member> targets = new HashMap<>();
    Map<Member, GridException> failures = new ConcurrentHashMap<>();
    for (Member m : to) {
      Address a = membership.addressOf(m);
      if (a == null) {
        failures.put(
            m,
            new MemberLeftException(m.route(), m.route() + " is not a member of the current view"));
      } else if (!a.equals(membership.localAddress())) {
        targets.put(a, m);
      }
    }
    if (targets.isEmpty()) {
      result.complete(new Responses<>(Map.of(), failures));
      return result;
    }
    GatherFilter<R> filter = new GatherFilter<>(targets, enough);
    RequestOptions options =
        RequestOptions.SYNC().rspFilter(filter).transientFlags(Message.TransientFlag.DONT_LOOPBACK);
    // One multicast when the request goes to every other member, unicasts to a subset.
    options.anycasting(targets.size() < membership.size() - 1);
    CompletableFuture<RspList<Object>> pending;
    try {
      pending = d.castMessageWithFuture(targets.keySet(), frame(null, request), options);
    } catch (Exception e) {
      result.completeExceptionally(new GridException(route + ": could not send " + e, e));
      return result;
    }
    metrics.increment("requests.sent");
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              if (result.complete(filter.responses(failures, null, true))) {
                pending.cancel(false);
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    pending.whenComplete(
        (rsps, failure) -> {
          deadline.cancel(false);
          result.complete(filter.responses(failures, rsps, false));
        });
    return result;
  }

  /** Decodes and keeps replies as they arrive; tells JGroups when the caller has enough. */
  private final class GatherFilter<R> implements RspFilter {
    private final Map<Address, Member> targets;
    private final Predicate<? super R> enough;
    private final Map<Member, R> replies = new ConcurrentHashMap<>();
    private final Map<Member, GridException> failed = new ConcurrentHashMap<>();
    private final List<Member> nullReplies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean done;

    GatherFilter(Map<Address, Member> targets, Predicate<? super R> enough) {
      this.targets = targets;
      this.enough = enough;
    }

    @Override
    public boolean isAcceptable(Object response, Address sender) {
      Member m = targets.get(sender);
      if (m == null || !(response instanceof Message msg)) {
        return false;
      }
      try {
        @SuppressWarnings("unchecked")
        R value = (R) decodeReply(m.route(), msg);
        if (value == null) {
          nullReplies.add(m);
        } else {
          replies.put(m, value);
          if (enough.test(value)) {
            done = true;
          }
        }
      } catch (GridException e) {
        failed.put(m, e);
      } catch (RuntimeException e) {
        failed.put(m, new GridException(route + ": gather predicate failed: " + e, e));
      }
      return true;
    }

    @Override
    public boolean needMoreResponses() {
      return !done;
    }

    Responses<R> responses(
        Map<Member, GridException> before, RspList<Object> rsps, boolean timedOut) {
      Map<Member, GridException> failures = new HashMap<>(before);
      failures.putAll(failed);
      Map<Member, R> ok = new HashMap<>(replies);
      for (Map.Entry<Address, Member> e : targets.entrySet()) {
        Member m = e.getValue();
        if (ok.containsKey(m) || failures.containsKey(m) || nullReplies.contains(m)) {
          continue;
        }
        Rsp<Object> rsp = rsps == null ? null : rsps.get(e.getKey());
        if (rsp != null && rsp.wasSuspected()) {
          failures.put(
              m, new MemberLeftException(m.route(), m.route() + " left the view before answering"));
        } else if (timedOut || (rsps != null && !done)) {
          failures.put(m, new RequestTimeoutException(m.route() + " did not answer in time"));
        }
      }
      if (timedOut) {
        metrics.increment("requests.gather.timeouts");
      }
      return new Responses<>(ok, failures);
    }
  }

  @Override
  public void send(Member to, Object message) {
    Address address = membership.addressOf(to);
    if (address == null) {
      metrics.increment("messages.dropped.not-member");
      return;
    }
    sendTo(address, message);
  }

  void sendTo(Address address, Object message) {
    MessageDispatcher d = dispatcher;
    if (!open || d == null) {
      return;
    }
    try {
      d.sendMessage(frame(address, message), RequestOptions.ASYNC());
      metrics.increment("messages.sent");
    } catch (Exception e) {
      metrics.increment("messages.send-failed");
      LOG.log(
          Level.DEBUG,
          "{0}: could not send {1}: {2}",
          route,
          message.getClass().getSimpleName(),
          e);
    }
  }

  @Override
  public void broadcast(Object message) {
    MessageDispatcher d = dispatcher;
    if (!open || d == null || membership.size() <= 1) {
      return;
    }
    try {
      d.castMessage(
          null,
          frame(null, message),
          RequestOptions.ASYNC().transientFlags(Message.TransientFlag.DONT_LOOPBACK));
      metrics.increment("messages.broadcast");
    } catch (Exception e) {
      metrics.increment("messages.send-failed");
      LOG.log(
          Level.DEBUG,
          "{0}: could not broadcast {1}: {2}",
          route,
          message.getClass().getSimpleName(),
          e);
    }
  }

  @Override
  public <M extends Request<R>, R> void onRequest(Class<M> type, RequestHandler<M, R> handler) {
    requireKnown(type);
    requestHandlers.put(type, handler);
  }

  @Override
  public <M> void onMessage(Class<M> type, MessageHandler<M> handler) {
    requireKnown(type);
    messageHandlers.put(type, handler);
  }

  private void requireKnown(Class<?> type) {
    if (!catalog.knows(type)) {
      throw new IllegalArgumentException(
          type.getName() + " has no wire codec: add it to the node's WireCatalog");
    }
  }

  // ------------------------------------------------------------------ inbound

  @Override
  public Object handle(Message msg) {
    handle(msg, null);
    return null;
  }

  @Override
  public void handle(Message msg, Response response) {
    try {
      receive(msg, response);
    } catch (Throwable t) {
      // Last line of defence: nothing reaches the JGroups thread.
      metrics.increment("handler.errors");
      LOG.log(
          Level.ERROR, route + ": unexpected failure handling a message from " + msg.getSrc(), t);
    }
  }

  private void receive(Message msg, Response response) {
    Address src = msg.getSrc();
    Object decoded;
    try {
      if (!(msg instanceof BytesMessage)) {
        throw new MalformedMessageException(
            "not-bytes", "message of type " + msg.getClass().getSimpleName());
      }
      metrics.counter("bytes.received").add(msg.getLength());
      decoded = catalog.decode(msg.getArray(), msg.getOffset(), msg.getLength());
    } catch (MalformedMessageException e) {
      rejects.reject(e.kind(), src, e.getMessage());
      replyError(msg, response, "malformed", e.getMessage());
      return;
    }
    Membership members = membership;
    if (decoded instanceof Hello hello) {
      reply(msg, response, new Hello(members.onHello(src, hello.member())));
      return;
    }
    Member from = members.memberAt(src);
    if (from == null) {
      rejects.reject("non-member", src, decoded.getClass().getSimpleName());
      return;
    }
    metrics.increment("messages.received");
    if (response == null) {
      deliverOneWay(decoded, from);
    } else {
      deliverRequest(decoded, from, msg, response);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void deliverOneWay(Object message, Member from) {
    MessageHandler handler = messageHandlers.get(message.getClass());
    if (handler == null) {
      rejects.reject("no-handler", from, message.getClass().getSimpleName());
      return;
    }
    try {
      handler.handle(message, from);
    } catch (Throwable t) {
      metrics.increment("handler.errors");
      LOG.log(
          Level.WARNING,
          route
              + ": handler for "
              + message.getClass().getSimpleName()
              + " from "
              + from
              + " failed",
          t);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void deliverRequest(Object request, Member from, Message msg, Response response) {
    RequestHandler handler = requestHandlers.get(request.getClass());
    if (handler == null) {
      rejects.reject("no-handler", from, request.getClass().getSimpleName());
      replyError(
          msg,
          response,
          "no-handler",
          route + " has no handler for " + request.getClass().getSimpleName());
      return;
    }
    CompletionStage<Object> stage;
    try {
      stage = (CompletionStage<Object>) handler.handle((Request) request, from);
      if (stage == null) {
        throw new IllegalStateException("handler returned no stage");
      }
    } catch (Throwable t) {
      handlerFailed(request, from, msg, response, t);
      return;
    }
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            handlerFailed(request, from, msg, response, failure);
          } else {
            reply(msg, response, value == null ? NullReply.INSTANCE : value);
          }
        });
  }

  private void handlerFailed(
      Object request, Member from, Message msg, Response response, Throwable t) {
    Throwable cause =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    metrics.increment("handler.errors");
    if (!(cause instanceof GridException)) {
      LOG.log(
          Level.WARNING,
          route
              + ": handler for "
              + request.getClass().getSimpleName()
              + " from "
              + from
              + " failed",
          cause);
    }
    replyError(msg, response, cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
  }

  private void replyError(Message request, Response response, String kind, String message) {
    if (response != null) {
      reply(request, response, new ErrorReply(kind, message));
    }
  }

  private void reply(Message request, Response response, Object value) {
    if (response == null) {
      return;
    }
    Message reply;
    try {
      reply = frame(request.getSrc(), value);
    } catch (RuntimeException e) {
      reply = frame(request.getSrc(), new ErrorReply("unencodable-reply", e.getMessage()));
    }
    if (request.isFlagSet(Message.Flag.OOB)) {
      reply.setFlag(Message.Flag.OOB);
    }
    reply.setFlag(Message.TransientFlag.DONT_BLOCK);
    try {
      response.send(reply, false);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "{0}: could not send a reply to {1}: {2}", route, request.getSrc(), e);
    }
  }
}
