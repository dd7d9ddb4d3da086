package org.buddygrid.session.internal;

import java.io.IOException;

/**
 * A response that commits its session before the response commits (filter mode and Tomcat mode
 * alike): told of each write by {@link GuardedOutputStream} and {@link GuardedWriter}.
 */
public interface CommitGuard {
  /** Before {@code bytes} are written: commits the session if they could commit the response. */
  void beforeWrite(long bytes) throws IOException;

  /** Before the response commits (flush, close): commits the session. */
  void beforeCommit() throws IOException;
}
