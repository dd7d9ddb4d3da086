package org.buddygrid.jgroups.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArrayDataOutputStream;

/**
 * A protocol inserted just above the transport that keeps a copy of every message this member
 * sends, serialized as the transport serializes it: what the transport hands to its sockets (the
 * {@code secure} stack's TLS then encrypts those bytes once more). Bounded: it stops recording at
 * 32 MB.
 */
public final class WireRecorder extends Protocol {
  private static final int MAX_RECORDED = 32 * 1024 * 1024;

  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

  @Override
  public Object down(Message msg) {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(msg.size() + 64);
    try {
      msg.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (recorded) {
      if (recorded.size() + out.position() <= MAX_RECORDED) {
        recorded.write(out.buffer(), 0, out.position());
      }
    }
    return down_prot.down(msg);
  }

  /** Every message sent so far, serialized, back to back. */
  public byte[] recorded() {
    synchronized (recorded) {
      return recorded.toByteArray();
    }
  }
}
