package org.buddygrid.core.internal;

import org.jgroups.Message;
import org.jgroups.blocks.RequestCorrelator;
import org.jgroups.blocks.RequestHandler;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.stack.Protocol;

/**
 * A correlator that hands every reply to the waiting request as the raw {@link Message}, never as
 * an object JGroups deserialised, and never as an exception: a peer that sets the SERIALIZED flag
 * on a reply cannot make this node run Java deserialization. BuddyGrid decodes the bytes itself.
 */
final class RawReplyCorrelator extends RequestCorrelator {
  RawReplyCorrelator(Protocol down, RequestHandler handler) {
    super(down, handler, null);
    // JGroups finds a correlator's header id by its class; a subclass must use its parent's.
    corr_id = ClassConfigurator.getProtocolId(RequestCorrelator.class);
  }

  @Override
  protected void handleResponse(Message rsp, Header hdr) {
    org.jgroups.blocks.Request<?> req = requests.get(hdr.requestId());
    if (req != null) {
      req.receiveResponse(rsp, rsp.getSrc(), false);
    }
  }
}
