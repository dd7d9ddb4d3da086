package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocationDirectoryTest {
  @Test
  void entriesOnlyMoveForwardInEpoch() {
    LocationDirectory d = new LocationDirectory(100);
    d.update("s", "node1", List.of("node2"), 3);
    d.update("s", "node4", List.of("node1"), 2);
    assertThat(d.get("s").orElseThrow().owner()).isEqualTo("node1");
    d.update("s", "node3", List.of("node1"), 4);
    assertThat(d.get("s").orElseThrow())
        .isEqualTo(new LocationDirectory.Entry("node3", List.of("node1"), 4));
    d.remove("s", 3);
    assertThat(d.get("s")).isPresent();
    d.remove("s", 4);
    assertThat(d.get("s")).isEmpty();
  }

  @Test
  void itIsBounded() {
    LocationDirectory d = new LocationDirectory(50);
    for (int i = 0; i < 1000; i++) {
      d.update("s" + i, "n", List.of(), 1);
    }
    org.awaitility.Awaitility.await().until(() -> d.size() <= 50);
  }
}
