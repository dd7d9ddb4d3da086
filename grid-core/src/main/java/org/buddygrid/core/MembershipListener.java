package org.buddygrid.core;

/**
 * Told of every view change of a node, in view order, one at a time, on a thread of the node's own
 * (never a JGroups thread). A listener that throws is logged and the node carries on.
 */
@FunctionalInterface
public interface MembershipListener {
  void viewChanged(ViewChange change);
}
