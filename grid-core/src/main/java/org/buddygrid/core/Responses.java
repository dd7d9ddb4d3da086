package org.buddygrid.core;

import java.util.Map;

/**
 * The outcome of a request sent to several members: a reply or a failure for each. A member that
 * had not answered when the gather finished early (its stop condition was met) is in neither map.
 *
 * @param replies members that answered, with their replies
 * @param failures members that failed: {@link MemberLeftException}, {@link RequestTimeoutException}
 *     or {@link RemoteFailureException}
 */
public record Responses<R>(Map<Member, R> replies, Map<Member, GridException> failures) {
  public Responses {
    replies = Map.copyOf(replies);
    failures = Map.copyOf(failures);
  }
}
