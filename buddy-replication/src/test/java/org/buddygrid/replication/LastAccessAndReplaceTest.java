package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a use reports as the last access (the use before it, as {@code
 * HttpSession.getLastAccessedTime} wants, also across a takeover), on an injected clock; that
 * setting the same object again is told as a replacement by that very object; and which sessions a
 * node reports it owns.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LastAccessAndReplaceTest {
  private final Grids grids = new Grids();
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void stop() {
    grids.close();
  }

  private List<SessionGrid> start(int n) {
    return grids.startAll(n, b -> b.clock(clock).expirySweep(Duration.ofHours(1)));
  }

  @Test
  void eachUseReportsTheStartOfThePreviousOneForItsWholeDuration() {
    SessionGrid g = start(1).get(0);
    Instant created = clock.instant();
    GridSession first = g.create();
    assertThat(first.lastAccessedTime()).isEqualTo(created);
    clock.advance(Duration.ofSeconds(5)); // a long first request
    assertThat(first.lastAccessedTime()).isEqualTo(created);
    first.commit();

    clock.advance(Duration.ofMinutes(1));
    Instant secondStart = clock.instant();
    GridSession second = g.open(first.id()).orElseThrow();
    assertThat(second.lastAccessedTime()).isEqualTo(created);
    clock.advance(Duration.ofSeconds(3));
    assertThat(second.lastAccessedTime()).isEqualTo(created);
    second.commit();

    clock.advance(Duration.ofMinutes(1));
    GridSession third = g.open(first.id()).orElseThrow();
    assertThat(third.lastAccessedTime()).isEqualTo(secondStart);
    third.commit();
  }

  @Test
  void listenersSeeTheLatestAccess() {
    SessionGrid g = start(1).get(0);
    List<Instant> seen = new CopyOnWriteArrayList<>();
    g.addListener(
        new SessionListener() {
          @Override
          public void attributeAdded(GridSession session, String name, Object value) {
            seen.add(session.lastAccessedTime());
          }
        });
    GridSession s = g.create();
    s.commit();
    clock.advance(Duration.ofMinutes(2));
    Instant now = clock.instant();
    GridSession use = g.open(s.id()).orElseThrow();
    use.setAttribute("a", "1");
    use.commit();
    assertThat(seen).containsExactly(now);
  }

  @Test
  void theFirstUseAfterATakeoverReportsThePreviousOwnersLastAccess() {
    List<SessionGrid> g = start(2);
    GridSession s = g.get(0).create();
    s.setAttribute("k", "v");
    s.commit();
    clock.advance(Duration.ofMinutes(1));
    Instant lastOnFirstOwner = clock.instant();
    g.get(0).open(s.id()).orElseThrow().commit();

    clock.advance(Duration.ofMinutes(3));
    GridSession taken = g.get(1).open(s.id()).orElseThrow();
    assertThat(g.get(1).isOwner(taken.id())).isTrue();
    assertThat(taken.getAttribute("k")).isEqualTo("v");
    assertThat(taken.lastAccessedTime()).isEqualTo(lastOnFirstOwner);
    taken.commit();

    Instant takeoverTime = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    GridSession next = g.get(1).open(s.id()).orElseThrow();
    assertThat(next.lastAccessedTime()).isEqualTo(takeoverTime);
    next.commit();
  }

  @Test
  void settingTheSameObjectAgainIsToldAsAReplacementByItself() {
    SessionGrid g = start(1).get(0);
    List<String> events = new CopyOnWriteArrayList<>();
    g.addListener(
        new SessionListener() {
          @Override
          public void attributeAdded(GridSession session, String name, Object value) {
            events.add("added " + name);
          }

          @Override
          public void attributeReplaced(
              GridSession session, String name, Object oldValue, Object newValue) {
            events.add(
                "replaced "
                    + name
                    + " was "
                    + oldValue
                    + (oldValue == newValue ? " by itself" : " by " + newValue));
          }
        });
    List<String> threeArgument = new CopyOnWriteArrayList<>();
    g.addListener(
        new SessionListener() {
          @Override
          public void attributeReplaced(GridSession session, String name, Object oldValue) {
            threeArgument.add(name + " was " + oldValue);
          }
        });
    List<String> cart = new ArrayList<>(List.of("x"));
    GridSession s = g.create();
    s.setAttribute("cart", cart);
    cart.add("y");
    s.setAttribute("cart", cart);
    s.setAttribute("cart", "plain");
    s.commit();
    assertThat(events)
        .containsExactly(
            "added cart",
            "replaced cart was [x, y] by itself",
            "replaced cart was [x, y] by plain");
    assertThat(threeArgument).containsExactly("cart was [x, y]", "cart was [x, y]");
  }

  @Test
  void ownedSessionIdsAreTheSessionsServedHereNow() {
    List<SessionGrid> g = start(2);
    GridSession kept = g.get(0).create();
    kept.commit();
    GridSession ended = g.get(0).create();
    ended.commit();
    GridSession moving = g.get(0).create();
    moving.commit();
    assertThat(g.get(0).ownedSessionIds())
        .containsExactlyInAnyOrder(kept.id(), ended.id(), moving.id());
    ended.invalidate();
    GridSession taken = g.get(1).open(moving.id()).orElseThrow();
    taken.commit();
    assertThat(g.get(0).ownedSessionIds()).containsExactly(kept.id());
    assertThat(g.get(1).ownedSessionIds())
        .containsExactly(taken.id())
        .allMatch(id -> id.endsWith(".node2"));
  }
}
