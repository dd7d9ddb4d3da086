package org.buddygrid.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.wire.WireCatalog;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;

/**
 * Loses (or holds back), on one node, every incoming message of one wire type and keeps a copy of
 * each frame: a protocol at the top of the node's stack, above JGroups' retransmission, so a
 * dropped message stays lost. {@link #close()} removes it.
 */
public final class FrameFilter extends Protocol implements AutoCloseable {
  private final int typeId;
  private final GridNode node;
  private final Address from;
  private final List<byte[]> dropped = new CopyOnWriteArrayList<>();

  /** Frames held back to be delivered by {@link #release()}; null when dropping. */
  private final List<Message> held;

  private FrameFilter(GridNode node, int typeId, Address from, boolean hold) {
    this.node = node;
    this.typeId = typeId;
    this.from = from;
    this.held = hold ? new CopyOnWriteArrayList<>() : null;
  }

  /**
   * Starts holding back frames of {@code typeId} arriving at {@code node}: they are delivered, in
   * order, by {@link #release()} (a message delayed as long as a test needs).
   */
  public static FrameFilter hold(GridNode node, int typeId) {
    return insert(new FrameFilter(node, typeId, null, true));
  }

  /** Delivers the frames held back so far and stops holding. */
  public void release() {
    List<Message> out = List.copyOf(held);
    held.clear();
    Protocol above = up_prot;
    close();
    out.forEach(above::up);
  }

  /** Starts dropping frames of {@code typeId} arriving at {@code node} from anyone. */
  public static FrameFilter drop(GridNode node, int typeId) {
    return drop(node, typeId, null);
  }

  /**
   * Starts dropping frames of {@code typeId} arriving at {@code node} from {@code sender} (from
   * anyone if null).
   */
  public static FrameFilter drop(GridNode node, int typeId, GridNode sender) {
    return insert(
        new FrameFilter(
            node, typeId, sender == null ? null : sender.channel().getAddress(), false));
  }

  private static FrameFilter insert(FrameFilter f) {
    ProtocolStack stack = f.node.channel().getProtocolStack();
    try {
      stack.insertProtocol(f, ProtocolStack.Position.ABOVE, stack.getTopProtocol().getClass());
      f.init();
      f.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not insert the frame filter", e);
    }
    return f;
  }

  /** Copies of the frames dropped so far, oldest first. */
  public List<byte[]> dropped() {
    return dropped;
  }

  private boolean matches(Message m) {
    if (!(m instanceof BytesMessage)
        || m.getLength() < 2
        || (from != null && !from.equals(m.getSrc()))) {
      return false;
    }
    byte[] a = m.getArray();
    int off = m.getOffset();
    // [format version][type id as a varint]: the ids used here fit one byte.
    if (a[off] != WireCatalog.FORMAT_VERSION || a[off + 1] != typeId) {
      return false;
    }
    dropped.add(java.util.Arrays.copyOfRange(a, off, off + m.getLength()));
    if (held != null) {
      held.add(m);
    }
    return true;
  }

  @Override
  public Object up(Message msg) {
    return matches(msg) ? null : up_prot.up(msg);
  }

  @Override
  public void up(MessageBatch batch) {
    batch.removeIf(this::matches, false);
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  @Override
  public void close() {
    if (!node.channel().isClosed()) {
      node.channel().getProtocolStack().removeProtocol(FrameFilter.class);
    }
  }
}
