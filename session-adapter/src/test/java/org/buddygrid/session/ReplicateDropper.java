package org.buddygrid.session;

import org.buddygrid.core.GridNode;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.replication.internal.Messages;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;

/**
 * Drops every replication message ({@code Replicate}) arriving at one node: a protocol at the top
 * of its stack, above retransmission, so the backup stays in the view and never answers. {@link
 * #close()} removes it.
 */
final class ReplicateDropper extends Protocol implements AutoCloseable {
  private final GridNode node;
  private final int typeId = ReplicationCatalog.catalog().typeId(Messages.Replicate.class);

  private ReplicateDropper(GridNode node) {
    this.node = node;
  }

  static ReplicateDropper on(GridNode node) {
    ReplicateDropper d = new ReplicateDropper(node);
    ProtocolStack stack = node.channel().getProtocolStack();
    try {
      stack.insertProtocol(d, ProtocolStack.Position.ABOVE, stack.getTopProtocol().getClass());
      d.init();
      d.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not insert the dropper", e);
    }
    return d;
  }

  private boolean isReplicate(Message m) {
    if (!(m instanceof BytesMessage) || m.getLength() < 2) {
      return false;
    }
    byte[] a = m.getArray();
    int off = m.getOffset();
    // [format version][type id as a varint]: replication ids fit one byte.
    return a[off] == WireCatalog.FORMAT_VERSION && a[off + 1] == typeId;
  }

  @Override
  public Object up(Message msg) {
    return isReplicate(msg) ? null : up_prot.up(msg);
  }

  @Override
  public void up(MessageBatch batch) {
    batch.removeIf(this::isReplicate, false);
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  @Override
  public void close() {
    if (!node.channel().isClosed()) {
      node.channel().getProtocolStack().removeProtocol(ReplicateDropper.class);
    }
  }
}
