package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationFlowTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  /** A mutable attribute value: a cart whose list changes in place. */
  public static final class Cart {
    final List<String> items = new ArrayList<>();
  }

  @Test
  void aSessionCreatedOnOneNodeIsTakenOverByAnotherWithAllItsAttributes() {
    List<SessionGrid> g = grids.startAll(3, UnaryOperator.identity());
    GridSession s = g.get(0).create();
    s.setAttribute("user", "alice");
    s.setAttribute("n", 1);
    Cart cart = new Cart();
    cart.items.add("book");
    s.setAttribute("cart", cart);
    assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    String id = s.id();
    assertThat(id).endsWith(".node1");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(1).backupCopies() + g.get(2).backupCopies() == 1);

    GridSession there = g.get(1).open(id).orElseThrow();
    assertThat(there.id()).isEqualTo(id.substring(0, id.indexOf('.')) + ".node2");
    assertThat(there.getAttribute("user")).isEqualTo("alice");
    assertThat(there.getAttribute("n")).isEqualTo(1);
    assertThat(((Cart) there.getAttribute("cart")).items).containsExactly("book");
    assertThat(there.isNew()).isFalse();
    assertThat(g.get(1).ownedSessions()).isEqualTo(1);
    assertThat(g.get(0).ownedSessions()).isZero();
    assertThat(g.get(1).metrics().count("takeovers")).isEqualTo(1);

    // The old owner may no longer change it.
    s.setAttribute("n", 99);
    org.assertj.core.api.Assertions.assertThatThrownBy(s::commit)
        .isInstanceOf(SessionMovedException.class);

    // Changes on the new owner reach its backups, and a third node takes over the latest state.
    there.setAttribute("n", 2);
    ((Cart) there.getAttribute("cart")).items.add("pen");
    assertThat(there.commit()).isEqualTo(CommitResult.REPLICATED);
    GridSession third = g.get(2).open(there.id()).orElseThrow();
    assertThat(third.getAttribute("n")).isEqualTo(2);
    assertThat(((Cart) third.getAttribute("cart")).items).containsExactly("book", "pen");
  }

  @Test
  void anUnknownOrMalformedIdIsNotFoundAndNothingIsAdopted() {
    List<SessionGrid> g = grids.startAll(2, UnaryOperator.identity());
    assertThat(g.get(0).open("AAAAAAAAAAAAAAAAAAAAAAAA.node2")).isEmpty();
    assertThat(g.get(0).open("bad\r\nid")).isEmpty();
    assertThat(g.get(0).metrics().count("ids.rejected")).isEqualTo(1);
    assertThat(g.get(0).ownedSessions()).isZero();
  }
}
