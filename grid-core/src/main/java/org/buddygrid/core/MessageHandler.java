package org.buddygrid.core;

/**
 * Receives one one-way message type. Runs on a JGroups delivery thread and must not block; what it
 * throws is logged and counted, never passed to JGroups.
 */
@FunctionalInterface
public interface MessageHandler<M> {
  void handle(M message, Member from) throws Exception;
}
