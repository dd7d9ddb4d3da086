package org.buddygrid.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.buddygrid.core.wire.WireCatalog;
import org.jgroups.Address;
import org.jgroups.Header;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.blocks.RequestCorrelator;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UnicastHeader3;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.Util;

/**
 * A protocol put right above a channel's transport that counts what the transport puts on the wire
 * for every message this node sends: the exact bytes {@code Util.writeMessage} produces (the form
 * the transport sends a single message in: version, flags, message type, then the message with its
 * addresses, every header and the payload), plus the transport's own per-frame prefix (TCP: a
 * 4-byte length). Each message is tallied by kind (the BuddyGrid wire type for messages of the
 * request correlator, else the JGroups protocol whose header it carries) with its bytes split into
 * payload, each protocol's header ({@code 4 + serializedSize}) and envelope (the rest).
 *
 * <p>JGroups' own {@code TP.getMessageStats()} cannot serve here: in 5.5.7 it counts {@code
 * Message.getLength()}, the payload only, and only once {@code msg_stats.enabled} is set (off by
 * default).
 *
 * <p>The size is taken after the message went down, so that the transport's header and source
 * address are in it. A multicast counts once per other member (what TCP sends; SHARED_LOOPBACK
 * hands the same buffer to each); a message to this node itself is not counted (it never leaves). A
 * transport that bundles several queued messages into one frame writes a little less than the sum
 * (addresses once per frame): see {@link #frames()} against the OS counters.
 */
final class WireTap extends Protocol {
  private static final short CORRELATOR_ID =
      ClassConfigurator.getProtocolId(RequestCorrelator.class);

  /** Bytes of one kind of message. */
  static final class Tally {
    long messages;
    long frameBytes;
    long payloadBytes;
    long envelopeBytes;
    final Map<String, Long> headerBytes = new TreeMap<>();

    Tally copy() {
      Tally t = new Tally();
      t.messages = messages;
      t.frameBytes = frameBytes;
      t.payloadBytes = payloadBytes;
      t.envelopeBytes = envelopeBytes;
      t.headerBytes.putAll(headerBytes);
      return t;
    }

    void add(Tally o) {
      messages += o.messages;
      frameBytes += o.frameBytes;
      payloadBytes += o.payloadBytes;
      envelopeBytes += o.envelopeBytes;
      o.headerBytes.forEach((k, v) -> headerBytes.merge(k, v, Long::sum));
    }
  }

  private final JChannel channel;
  private final short transportId;
  private final int framePrefix;
  private final Map<Integer, String> wireTypes;
  private final ByteArrayDataOutputStream buffer = new ByteArrayDataOutputStream(64 * 1024);
  private final Map<String, Tally> tallies = new TreeMap<>();
  private long frames;
  private volatile boolean counting;

  private WireTap(JChannel channel, int framePrefix, Map<Integer, String> wireTypes) {
    this.channel = channel;
    this.transportId = channel.getProtocolStack().getTransport().getId();
    this.framePrefix = framePrefix;
    this.wireTypes = wireTypes;
  }

  /**
   * Puts a tap above {@code channel}'s transport.
   *
   * @param framePrefix bytes the transport writes before each frame (TCP 4, SHARED_LOOPBACK 0)
   * @param wireTypes BuddyGrid wire type ids to message names, for the tally's kinds
   */
  static WireTap install(JChannel channel, int framePrefix, Map<Integer, String> wireTypes) {
    WireTap tap = new WireTap(channel, framePrefix, wireTypes);
    ProtocolStack stack = channel.getProtocolStack();
    TP transport = stack.getTransport();
    stack.insertProtocolInStack(tap, transport, ProtocolStack.Position.ABOVE);
    return tap;
  }

  /** Names of the wire types of {@code catalog} that are among {@code types}. */
  static Map<Integer, String> wireTypes(WireCatalog catalog, Class<?>... types) {
    Map<Integer, String> names = new LinkedHashMap<>();
    for (Class<?> t : types) {
      if (catalog.knows(t)) {
        names.put(catalog.typeId(t), t.getSimpleName());
      }
    }
    return names;
  }

  /** Starts counting from zero. */
  synchronized void startCounting() {
    tallies.clear();
    frames = 0;
    counting = true;
  }

  /** Stops counting; the tallies stay. */
  void stopCounting() {
    counting = false;
  }

  synchronized Map<String, Tally> tallies() {
    Map<String, Tally> copy = new TreeMap<>();
    tallies.forEach((k, v) -> copy.put(k, v.copy()));
    return copy;
  }

  /** Frames counted (one per message and receiving member). */
  synchronized long frames() {
    return frames;
  }

  @Override
  public Object down(Message msg) {
    Object result = down_prot.down(msg);
    if (counting) {
      try {
        record(msg);
      } catch (Exception e) {
        // Counting must never break sending; a message that cannot be re-serialised is not counted.
        System.err.println("wire tap: " + e);
      }
    }
    return result;
  }

  private void record(Message msg) throws Exception {
    Address dest = msg.getDest();
    Address self = channel.getAddress();
    int copies;
    if (dest == null) {
      View view = channel.getView();
      copies = view == null ? 0 : Math.max(0, view.size() - 1);
    } else {
      copies = dest.equals(self) ? 0 : 1;
    }
    if (copies == 0) {
      return;
    }
    String kind = kind(msg);
    synchronized (this) {
      buffer.position(0);
      Util.writeMessage(msg, buffer, dest == null);
      int frame = buffer.position() + framePrefix;
      int payload = msg.getLength();
      int headers = 0;
      Tally t = tallies.computeIfAbsent(kind, k -> new Tally());
      for (Map.Entry<Short, Header> h : msg.getHeaders().entrySet()) {
        int size = 4 + h.getValue().serializedSize(); // protocol id, magic number, header
        headers += size;
        t.headerBytes.merge(protocolName(h.getKey()), (long) size * copies, Long::sum);
      }
      t.messages += copies;
      t.frameBytes += (long) frame * copies;
      t.payloadBytes += (long) payload * copies;
      t.envelopeBytes += (long) (frame - payload - headers) * copies;
      frames += copies;
    }
  }

  /** A BuddyGrid message by its wire type, else the JGroups protocol(s) it belongs to. */
  private String kind(Message msg) {
    Header h = msg.getHeader(CORRELATOR_ID);
    if (h instanceof RequestCorrelator.Header corr) {
      String name = "BuddyGrid ?";
      if (msg.getLength() >= 2) {
        int type = msg.getArray()[msg.getOffset() + 1] & 0x7F; // after the format version
        name = wireTypes.getOrDefault(type, "BuddyGrid type " + type);
      }
      if (corr.type != RequestCorrelator.Header.REQ) {
        name += " (reply)";
      }
      return name;
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Short, Header> e : new TreeMap<>(msg.getHeaders()).entrySet()) {
      if (e.getKey() == transportId) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('+');
      }
      sb.append(protocolName(e.getKey()));
      if (e.getValue() instanceof UnicastHeader3 u) {
        sb.append(' ').append(unicastType(u.type()));
      }
    }
    return sb.length() == 0 ? "transport only" : sb.toString();
  }

  private String protocolName(short id) {
    if (id == CORRELATOR_ID) {
      return "RequestCorrelator";
    }
    if (id == transportId) {
      return "TP(" + channel.getProtocolStack().getTransport().getName() + ")";
    }
    for (Protocol p : channel.getProtocolStack().getProtocols()) {
      if (p.getId() == id) {
        return p.getName();
      }
    }
    Class<?> c = ClassConfigurator.getProtocol(id);
    return c == null ? "id " + id : c.getSimpleName();
  }

  private static String unicastType(byte type) {
    return switch (type) {
      case UnicastHeader3.DATA -> "DATA";
      case UnicastHeader3.ACK -> "ACK";
      case UnicastHeader3.SEND_FIRST_SEQNO -> "SEND_FIRST_SEQNO";
      case UnicastHeader3.XMIT_REQ -> "XMIT_REQ";
      case UnicastHeader3.CLOSE -> "CLOSE";
      default -> "type " + type;
    };
  }
}
