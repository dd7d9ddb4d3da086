package org.buddygrid.core;

import java.util.List;
import java.util.Set;

/**
 * What changed between two consecutive views of this node.
 *
 * @param previous the view before (empty, id 0, for the first view)
 * @param current the view now
 * @param joined members in {@code current} and not in {@code previous}
 * @param left members in {@code previous} and not in {@code current}: crashed, stopped, or cut off.
 *     A member that restarted under the same route while in the view (a new process replaced the
 *     old one in one view) is in both {@code left} and {@code joined}
 * @param merge whether this change heals a partition: the members in {@code joined} were serving on
 *     their own side, and sessions may be owned on both sides
 * @param subgroups for a merge, the members of each side before the merge; otherwise empty
 * @param mergeId for a merge, a number that every member installing the same merge view sees alike
 *     (derived from JGroups' view id), so that all sides can refer to one merge; 0 otherwise
 */
public record ViewChange(
    GridView previous,
    GridView current,
    Set<Member> joined,
    Set<Member> left,
    boolean merge,
    List<List<Member>> subgroups,
    long mergeId) {
  public ViewChange {
    joined = Set.copyOf(joined);
    left = Set.copyOf(left);
    subgroups = subgroups.stream().map(List::copyOf).toList();
  }
}
