package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.buddygrid.core.GridView;
import org.buddygrid.core.Member;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.metrics.Metrics;
import org.junit.jupiter.api.Test;

class QuorumTest {
  private static Member m(String route) {
    return new Member(route, "h", "r", "z");
  }

  private static GridView view(long id, String... routes) {
    return new GridView(id, java.util.Arrays.stream(routes).map(QuorumTest::m).toList());
  }

  private static void change(Quorum q, GridView from, GridView to) {
    q.viewChanged(new ViewChange(from, to, Set.of(), Set.of(), false, List.of(), 0));
  }

  @Test
  void aMajorityOfTheReferenceIsPrimaryAndExactlyOneOfTwoHalvesIs() {
    List<String> four = List.of("a", "b", "c", "d");
    assertThat(Quorum.isPrimary(four, List.of("a", "b", "c"))).isTrue();
    assertThat(Quorum.isPrimary(four, List.of("d"))).isFalse();
    assertThat(Quorum.isPrimary(four, List.of("c", "d", "x", "y"))).isFalse();
    // Two halves: the one holding the reference's oldest member.
    assertThat(Quorum.isPrimary(four, List.of("a", "b"))).isTrue();
    assertThat(Quorum.isPrimary(four, List.of("c", "d"))).isFalse();
    assertThat(Quorum.isPrimary(List.of("a", "b"), List.of("b"))).isFalse();
    assertThat(Quorum.isPrimary(List.of("a", "b"), List.of("a"))).isTrue();
  }

  @Test
  void aGridShrinkingOneCrashAtATimeStaysPrimaryAndALoneNodeCutOffIsNot() {
    Metrics metrics = new Metrics();
    GridView four = view(1, "a", "b", "c", "d");
    Quorum shrinking =
        new Quorum("b", four, metrics, null, () -> four, java.time.Duration.ofSeconds(1));
    GridView three = view(2, "b", "c", "d");
    change(shrinking, four, three);
    assertThat(shrinking.primary()).isTrue();
    GridView two = view(3, "b", "c");
    change(shrinking, three, two);
    assertThat(shrinking.primary()).isTrue();
    change(shrinking, two, view(4, "b")); // b is the older of two
    assertThat(shrinking.primary()).isTrue();
    assertThat(metrics.gaugeValue("quorum.primary")).isEqualTo(1);

    Quorum cutOff =
        new Quorum("d", four, new Metrics(), null, () -> four, java.time.Duration.ofSeconds(1));
    GridView alone = view(2, "d");
    change(cutOff, four, alone);
    assertThat(cutOff.primary()).isFalse();
    // Others joining the lone node do not make a majority of the last full view...
    change(cutOff, alone, view(3, "d", "x"));
    assertThat(cutOff.primary()).isFalse();
    // ...the healed grid does.
    change(cutOff, view(3, "d", "x"), view(4, "a", "b", "c", "d", "x"));
    assertThat(cutOff.primary()).isTrue();
  }
}
