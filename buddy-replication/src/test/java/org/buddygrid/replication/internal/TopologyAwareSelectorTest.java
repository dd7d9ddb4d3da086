package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddygrid.core.Member;
import org.buddygrid.core.id.SessionIdGenerator;
import org.junit.jupiter.api.Test;

class TopologyAwareSelectorTest {
  private final TopologyAwareSelector selector = new TopologyAwareSelector();
  private final SessionIdGenerator ids = new SessionIdGenerator();

  @Test
  void prefersAnotherZoneThenRackThenHost() {
    Member owner = new Member("o", "h1", "r1", "z1");
    Member sameHost = new Member("a", "h1", "r1", "z1");
    Member sameRack = new Member("b", "h2", "r1", "z1");
    Member sameZone = new Member("c", "h3", "r2", "z1");
    Member otherZone = new Member("d", "h4", "r3", "z2");
    List<Member> all = List.of(sameHost, sameRack, sameZone, otherZone);
    assertThat(selector.select(ids.newBase(), owner, all, List.of(), 1, m -> 0))
        .containsExactly(otherZone);
    assertThat(
            selector.select(
                ids.newBase(), owner, List.of(sameHost, sameRack, sameZone), List.of(), 1, m -> 0))
        .containsExactly(sameZone);
    assertThat(
            selector.select(
                ids.newBase(), owner, List.of(sameHost, sameRack), List.of(), 1, m -> 0))
        .containsExactly(sameRack);
    assertThat(selector.select(ids.newBase(), owner, List.of(sameHost), List.of(), 1, m -> 0))
        .containsExactly(sameHost);
  }

  @Test
  void aSecondBackupAvoidsTheFirstOnesPlaceToo() {
    Member owner = new Member("o", "h1", "r1", "z1");
    Member z2a = new Member("a", "h2", "r2", "z2");
    Member z2b = new Member("b", "h3", "r2", "z2");
    Member z3 = new Member("c", "h4", "r4", "z3");
    List<Member> picked =
        selector.select(ids.newBase(), owner, List.of(z2a, z2b, z3), List.of(), 2, m -> 0);
    assertThat(picked).hasSize(2).contains(z3);
  }

  @Test
  void returnsDistinctMembersAndNoMoreThanThereAre() {
    Member owner = Member.of("o");
    List<Member> two = List.of(Member.of("a"), Member.of("b"));
    assertThat(selector.select(ids.newBase(), owner, two, List.of(), 3, m -> 0))
        .containsExactlyInAnyOrderElementsOf(two);
    assertThat(selector.select(ids.newBase(), owner, List.of(), List.of(), 1, m -> 0)).isEmpty();
  }

  @Test
  void keepsAMemberThatAlreadyHoldsACopyWhenTopologyTies() {
    Member owner = Member.of("o");
    List<Member> candidates = List.of(Member.of("a"), Member.of("b"), Member.of("c"));
    for (int i = 0; i < 50; i++) {
      assertThat(
              selector.select(ids.newBase(), owner, candidates, List.of(Member.of("b")), 1, m -> 0))
          .containsExactly(Member.of("b"));
    }
  }

  /** With 4+ nodes one owner's sessions spread over all others: a crash leaves no hot survivor. */
  @Test
  void oneOwnersSessionsSpreadEvenlyOverEveryOtherMember() {
    for (int nodes : new int[] {4, 6, 8}) {
      Member owner = Member.of("owner");
      List<Member> others = new ArrayList<>();
      for (int i = 0; i < nodes - 1; i++) {
        others.add(Member.of("n" + i));
      }
      Map<Member, Integer> load = new HashMap<>();
      int sessions = 3_000;
      for (int s = 0; s < sessions; s++) {
        Member picked =
            selector
                .select(ids.newBase(), owner, others, List.of(), 1, m -> load.getOrDefault(m, 0))
                .get(0);
        load.merge(picked, 1, Integer::sum);
      }
      double fair = (double) sessions / others.size();
      assertThat(load).hasSize(others.size());
      assertThat(load.values())
          .allSatisfy(n -> assertThat(n).isBetween((int) (fair * 0.9), (int) (fair * 1.1)));
    }
  }
}
