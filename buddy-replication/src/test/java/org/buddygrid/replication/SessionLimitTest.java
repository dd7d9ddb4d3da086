package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.GridConfigurationException;
import org.buddygrid.core.attribute.AttributeTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory bounds at the grid API: creations beyond {@code buddygrid.max-owned-sessions} are refused
 * with an exception naming the setting, a flood of them leaves nothing behind, and an oversized
 * attribute, or one that would make its session too large, is refused before anything is stored or
 * sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionLimitTest {
  private static final int LIMIT = 100;
  private static final int FLOOD = 1_000_000;

  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  @Test
  void creationBeyondTheBoundIsRefusedAndAFloodOfThemKeepsNothing() {
    List<SessionGrid> g = grids.startAll(2, b -> b.maxOwnedSessions(LIMIT));
    SessionGrid owner = g.get(0);
    List<GridSession> sessions = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      GridSession s = owner.create();
      s.setAttribute("n", i);
      s.commit();
      sessions.add(s);
    }

    assertThatThrownBy(owner::create)
        .isInstanceOf(SessionLimitException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("buddygrid.max-owned-sessions")
        .hasMessageContaining(Integer.toString(LIMIT));
    int refused = 1;
    for (int i = 1; i < FLOOD; i++) {
      try {
        owner.create();
      } catch (SessionLimitException expected) {
        refused++;
      }
    }

    assertThat(refused).isEqualTo(FLOOD);
    assertThat(owner.ownedSessions()).isEqualTo(LIMIT);
    assertThat(owner.metrics().count("sessions.refused")).isEqualTo(FLOOD);
    await().atMost(Duration.ofSeconds(10)).until(() -> g.get(1).backupCopies() == LIMIT);

    // Room again once a session ends; the other node was never bounded by this one's sessions.
    sessions.get(0).invalidate();
    sessions.get(0).commit();
    GridSession again = owner.create();
    again.commit();
    assertThat(owner.ownedSessions()).isEqualTo(LIMIT);
    g.get(1).create().commit();
  }

  @Test
  void aFloodOfOversizedAttributesIsRefusedAndNothingIsKept() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("small", "kept");
    s.commit();
    for (int i = 0; i < 200; i++) {
      byte[] big = new byte[2 << 20]; // 2 MiB, over the 1 MiB default
      assertThatThrownBy(() -> s.setAttribute("big", big))
          .isInstanceOf(AttributeTooLargeException.class)
          .hasMessageContaining("buddygrid.max-attribute-size");
    }
    s.commit();

    assertThat(s.getAttribute("big")).isNull();
    assertThat(s.getAttribute("small")).isEqualTo("kept");
  }

  @Test
  void aSessionGrowingBeyondItsBoundIsRefusedAtSetAttributeAndKeepsWhatItHad() {
    List<SessionGrid> g = grids.startAll(2, b -> b.maxSessionSize(64 * 1024));
    GridSession s = g.get(0).create();
    for (int i = 0; i < 6; i++) {
      s.setAttribute("part" + i, new byte[10_000]);
    }
    s.commit();
    for (int i = 0; i < 1_000; i++) {
      assertThatThrownBy(() -> s.setAttribute("more", new byte[10_000]))
          .isInstanceOf(SessionTooLargeException.class)
          .hasMessageContaining("buddygrid.max-session-size");
    }
    // Replacing a value by one of the same size, or removing one, is always possible.
    s.setAttribute("part0", new byte[10_000]);
    s.removeAttribute("part1");
    s.setAttribute("more", new byte[10_000]);
    s.commit();

    assertThat(s.attributeNames()).contains("more").doesNotContain("part1");
    assertThat(g.get(0).metrics().count("sessions.refused.size")).isEqualTo(1_000);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> g.get(1).open(s.id()).map(t -> t.getAttribute("more") != null).orElse(false));
  }

  @Test
  void theBoundMustBePositive() {
    assertThatThrownBy(() -> SessionGrid.newBuilder().maxOwnedSessions(0))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("max owned sessions");
    assertThatThrownBy(() -> SessionGrid.newBuilder().maxSessionSize(10))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("max session size");
  }
}
