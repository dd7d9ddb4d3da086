package org.buddygrid.core;

import java.util.concurrent.CompletionStage;

/**
 * Answers one request type. Runs on a JGroups delivery thread, so it must not block: work that
 * waits returns a stage completed later. Whatever it throws or completes exceptionally with is sent
 * back as a {@link RemoteFailureException}; it never reaches JGroups.
 */
@FunctionalInterface
public interface RequestHandler<M extends Request<R>, R> {
  CompletionStage<R> handle(M request, Member from) throws Exception;
}
