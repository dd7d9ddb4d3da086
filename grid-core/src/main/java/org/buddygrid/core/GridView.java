package org.buddygrid.core;

import java.util.List;
import java.util.Optional;

/**
 * The members of the grid at one moment, in the same order on every node (oldest first). Every
 * member learns of view changes in the same order, though not at the same instant.
 *
 * @param id increases with every view this node installs
 * @param members the members, oldest first; never empty once the node has started (it holds the
 *     local member)
 */
public record GridView(long id, List<Member> members) {
  public GridView {
    members = List.copyOf(members);
  }

  /** Whether a member with this route is in the view. */
  public boolean contains(String route) {
    for (Member m : members) {
      if (m.route().equals(route)) {
        return true;
      }
    }
    return false;
  }

  /** The member with this route, if it is in the view. */
  public Optional<Member> member(String route) {
    for (Member m : members) {
      if (m.route().equals(route)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public int size() {
    return members.size();
  }
}
