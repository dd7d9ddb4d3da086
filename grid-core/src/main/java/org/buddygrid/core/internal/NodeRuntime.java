package org.buddygrid.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.GridView;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.core.metrics.MetricsMBean;
import org.buddygrid.core.wire.WireCatalog;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.stack.Protocol;

/** The moving parts behind a {@code GridNode}: channel, dispatcher, messenger, membership. */
public final class NodeRuntime {
  private static final System.Logger LOG = System.getLogger(NodeRuntime.class.getName());

  private final Member local;
  private final String cluster;
  private final Metrics metrics;
  private final ScheduledExecutorService timer;
  private final ExecutorService notifier;
  private final GridMessenger messenger;
  private final Membership membership;
  private volatile JChannel channel;
  private volatile boolean ownsChannel;
  private volatile MessageDispatcher dispatcher;
  private volatile AutoCloseable jmxHandle = () -> {};

  public NodeRuntime(
      Member local,
      String cluster,
      WireCatalog userCatalog,
      Metrics metrics,
      Duration requestTimeout,
      ScheduledExecutorService timer,
      ExecutorService notifier) {
    this.local = local;
    this.cluster = cluster;
    this.metrics = metrics;
    this.timer = timer;
    this.notifier = notifier;
    WireCatalog catalog =
        WireCatalog.builder().addAll(CoreMessages.catalog()).addAll(userCatalog).build();
    this.messenger = new GridMessenger(local.route(), catalog, metrics, requestTimeout, timer);
    Duration helloTimeout =
        requestTimeout.compareTo(Duration.ofSeconds(2)) < 0
            ? requestTimeout
            : Duration.ofSeconds(2);
    this.membership = new Membership(local, cluster, messenger, notifier, timer, helloTimeout);
    metrics.gauge("members", membership::size);
  }

  /** Installs the dispatcher on the channel and connects it unless it already is. */
  public void connect(JChannel ch, boolean owns, String clusterName) throws Exception {
    this.channel = ch;
    this.ownsChannel = owns;
    MessageDispatcher d = new MessageDispatcher(ch);
    d.correlator(new RawReplyCorrelator((Protocol) d.getProtocolAdapter(), d));
    d.asyncDispatching(true);
    // Complete replies on the JGroups thread: the common pool has one thread on a 2-core machine.
    d.asyncRspHandling(false);
    d.setRequestHandler(messenger);
    d.setReceiver(
        new Receiver() {
          @Override
          public void viewAccepted(View view) {
            onView(view);
          }
        });
    messenger.attach(d, membership);
    this.dispatcher = d;
    if (!ch.isConnected()) {
      ch.connect(clusterName);
    } else if (ch.getView() != null) {
      onView(ch.getView());
    }
  }

  private void onView(View view) {
    try {
      if (membership.localAddress() == null) {
        membership.setLocalAddress(channel.getAddress());
      }
      membership.onView(view);
    } catch (Throwable t) {
      LOG.log(Level.ERROR, local + ": failed to handle view " + view, t);
    }
  }

  public CompletableFuture<GridView> ready() {
    return membership.ready();
  }

  public String routeConflict() {
    return membership.conflictWith();
  }

  public GridView view() {
    return membership.view();
  }

  public Messenger messenger() {
    return messenger;
  }

  public JChannel channel() {
    return channel;
  }

  public void addListener(MembershipListener l) {
    membership.addListener(l);
  }

  public void removeListener(MembershipListener l) {
    membership.removeListener(l);
  }

  public void registerJmx() {
    jmxHandle = MetricsMBean.register(metrics, cluster, local.route());
  }

  /** Leaves the cluster and stops every thread of the node; safe to call more than once. */
  public void close() {
    messenger.close();
    membership.close();
    MessageDispatcher d = dispatcher;
    if (d != null) {
      d.stop();
    }
    JChannel ch = channel;
    if (ch != null && ownsChannel) {
      try {
        ch.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "{0}: closing the channel failed: {1}", local, e);
      }
    }
    try {
      jmxHandle.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "{0}: JMX unregistration failed: {1}", local, e);
    }
    notifier.shutdown();
    timer.shutdownNow();
    try {
      notifier.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
