package org.buddygrid.core;

/**
 * A message that expects one reply of type {@code R}. Both the request's and the reply's classes
 * must be registered in the node's {@link org.buddygrid.core.wire.WireCatalog}.
 *
 * @param <R> the reply type
 */
public interface Request<R> {}
