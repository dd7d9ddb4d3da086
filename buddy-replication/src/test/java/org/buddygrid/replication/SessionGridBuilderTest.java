package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.buddygrid.core.GridConfigurationException;
import org.junit.jupiter.api.Test;

class SessionGridBuilderTest {
  @Test
  void settingsAreCheckedWhenSetWithMessagesNamingThem() {
    SessionGrid.Builder b = SessionGrid.newBuilder();
    assertThatThrownBy(() -> b.backups(0))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("backups must be between 1 and 8");
    assertThatThrownBy(() -> b.replicationTimeout(Duration.ZERO))
        .hasMessageContaining("replication timeout must be positive");
    assertThatThrownBy(() -> b.flushInterval(Duration.ofMillis(-1)))
        .hasMessageContaining("flush interval must be positive");
    assertThatThrownBy(() -> b.maxBackupBytes(10)).hasMessageContaining("at least 1 MiB");
    assertThatThrownBy(() -> b.locationBatching(Duration.ofMillis(10), 0))
        .hasMessageContaining("batch size");
    assertThatThrownBy(() -> b.directorySize(0)).hasMessageContaining("directory size");
    assertThatThrownBy(() -> b.route("a.b")).hasMessageContaining("route");
    assertThatThrownBy(() -> b.timing(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timing");
  }

  @Test
  void aGridNeedsARouteAndEitherAStackOrAChannel() {
    assertThatThrownBy(() -> SessionGrid.newBuilder().build())
        .hasMessageContaining("needs a route");
  }
}
