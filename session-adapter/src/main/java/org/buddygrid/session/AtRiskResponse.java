package org.buddygrid.session;

/**
 * What the client gets when a commit reports {@code AT_RISK}: fewer backups than configured hold
 * the change (a backup did not answer in time and no replacement did, or this node is alone). The
 * change lives on this node either way; the setting ({@code buddygrid.at-risk}) says whether that
 * is good enough to answer the request.
 */
public enum AtRiskResponse {
  /**
   * Send the response; the commit is counted ({@code commits.at-risk}, {@code sessions.at-risk})
   * and logged. A lone node keeps serving, which is what failover is for.
   */
  SERVE,
  /**
   * Replace the response with {@code 503 Service Unavailable} and {@code Retry-After} if nothing
   * was sent yet. Note that a node left alone then refuses every request that changes a session.
   */
  UNAVAILABLE
}
