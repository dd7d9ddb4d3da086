package org.buddygrid.benchmarks;

import java.util.concurrent.atomic.LongAdder;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;

/**
 * Bytes and messages a node put on its replication wire since it started, counted right above the
 * transport (every message of every protocol: replication, acknowledgements, heartbeats).
 */
interface WireCounter {
  /** A node that sends nothing. */
  WireCounter NONE =
      new WireCounter() {
        @Override
        public long bytes() {
          return 0;
        }

        @Override
        public long messages() {
          return 0;
        }
      };

  long bytes();

  long messages();

  /** Counts what {@code channel}'s transport sends; installed on a running channel. */
  static WireCounter onJGroups(JChannel channel) {
    JGroupsCounter counter = new JGroupsCounter(channel.getProtocolStack().getTransport());
    channel
        .getProtocolStack()
        .insertProtocolInStack(
            counter, channel.getProtocolStack().getTransport(), ProtocolStack.Position.ABOVE);
    return counter;
  }

  /**
   * A message's size is {@code Message.size()} (flags, addresses, every header, payload) plus the 3
   * bytes of version and flags {@code Util.writeMessage} puts before it and TCP's 4-byte frame
   * length, once per destination (a multicast once per other member). Bundling several messages
   * into one frame writes slightly less; a message to this node itself is not counted.
   */
  final class JGroupsCounter extends Protocol implements WireCounter {
    private static final int FRAME_OVERHEAD = 3 + 4;
    private final TP transport;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private volatile int others;

    JGroupsCounter(TP transport) {
      this.transport = transport;
      View view = transport.view();
      others = view == null ? 0 : Math.max(0, view.size() - 1);
    }

    @Override
    public Object down(org.jgroups.Event evt) {
      if (evt.getType() == org.jgroups.Event.VIEW_CHANGE) {
        others = Math.max(0, ((View) evt.getArg()).size() - 1);
      }
      return down_prot.down(evt);
    }

    @Override
    public Object down(Message msg) {
      Address dest = msg.getDest();
      int copies = dest == null ? others : dest.equals(transport.getAddress()) ? 0 : 1;
      if (copies > 0) {
        bytes.add((long) copies * (msg.size() + FRAME_OVERHEAD));
        messages.add(copies);
      }
      return down_prot.down(msg);
    }

    @Override
    public long bytes() {
      return bytes.sum();
    }

    @Override
    public long messages() {
      return messages.sum();
    }
  }
}
