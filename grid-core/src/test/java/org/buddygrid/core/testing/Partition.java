package org.buddygrid.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.buddygrid.core.GridNode;
import org.jgroups.Address;
import org.jgroups.protocols.DISCARD;
import org.jgroups.stack.ProtocolStack;

/**
 * A network partition between in-JVM nodes, made without root: a {@code DISCARD} protocol inserted
 * above each node's transport drops every message from the nodes on other sides. {@link #close()}
 * heals it (MERGE3 then merges the views). Use in try-with-resources so a failing test heals too.
 */
public final class Partition implements AutoCloseable {
  private final List<GridNode> nodes = new ArrayList<>();

  private Partition() {}

  /**
   * Cuts the given sides off from each other. A node may appear on one side only; nodes not listed
   * are not touched (they keep hearing everyone).
   */
  @SafeVarargs
  public static Partition split(List<GridNode>... sides) {
    Partition p = new Partition();
    try {
      for (List<GridNode> side : sides) {
        for (GridNode n : side) {
          DISCARD discard = new DISCARD();
          for (List<GridNode> other : sides) {
            if (other != side) {
              for (GridNode o : other) {
                Address a = o.channel().getAddress();
                discard.addIgnoreMember(a);
              }
            }
          }
          ProtocolStack stack = n.channel().getProtocolStack();
          stack.insertProtocol(
              discard, ProtocolStack.Position.ABOVE, stack.getTransport().getClass());
          discard.init();
          discard.start();
          p.nodes.add(n);
        }
      }
    } catch (Exception e) {
      p.close();
      throw new IllegalStateException("could not partition the nodes", e);
    }
    return p;
  }

  /** Cuts {@code node} off from everyone else in {@code all}. */
  public static Partition isolate(GridNode node, List<GridNode> all) {
    List<GridNode> rest = new ArrayList<>(all);
    rest.remove(node);
    return split(List.of(node), rest);
  }

  /** Heals: removes the inserted protocols. Idempotent. */
  @Override
  public void close() {
    for (GridNode n : nodes) {
      if (!n.channel().isClosed()) {
        n.channel().getProtocolStack().removeProtocol(DISCARD.class);
      }
    }
    nodes.clear();
  }
}
