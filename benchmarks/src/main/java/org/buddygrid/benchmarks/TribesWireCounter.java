package org.buddygrid.benchmarks;

import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;

/**
 * Counts what a Tribes channel sends, placed as its last interceptor (right above the transport):
 * each message's data package as Tribes frames it on the socket ({@code XByteBuffer}'s start and
 * end markers and length included), once per destination. Tribes' acknowledgements are written by
 * the receiver below the interceptors and are not counted (a few bytes each).
 */
final class TribesWireCounter extends ChannelInterceptorBase implements WireCounter {
  private final LongAdder bytes = new LongAdder();
  private final LongAdder messages = new LongAdder();

  @Override
  public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
      throws ChannelException {
    int size = XByteBuffer.getDataPackageLength(((ChannelData) msg).getDataPackageLength());
    bytes.add((long) size * destination.length);
    messages.add(destination.length);
    super.sendMessage(destination, msg, payload);
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
