package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.internal.GridStatus.StatusQuery;
import org.buddygrid.replication.internal.GridStatus.StatusReport;
import org.junit.jupiter.api.Test;

class StatusCatalogTest {
  private final WireCatalog catalog = ReplicationCatalog.catalog();

  @Test
  void queryAndReportRoundTrip() {
    StatusReport report =
        new StatusReport(3, 5, 1, Map.of("takeovers", 7L, "recovery.pending", 0L, "x", -1L));
    assertThat(catalog.decode(catalog.encode(report))).isEqualTo(report);
    assertThat(catalog.decode(catalog.encode(StatusQuery.INSTANCE))).isSameAs(StatusQuery.INSTANCE);
  }

  @Test
  void aReportWithTooManyMetricsIsRefused() {
    WireOutput out = new WireOutput();
    out.writeByte(WireCatalog.FORMAT_VERSION).writeVarInt(63);
    out.writeVarInt(0).writeVarLong(0).writeVarInt(0).writeVarInt(StatusCatalog.MAX_METRICS + 1);
    assertThatThrownBy(() -> catalog.decode(out.toByteArray()))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void negativeCountsAreRefused() {
    WireOutput out = new WireOutput();
    out.writeByte(WireCatalog.FORMAT_VERSION).writeVarInt(63);
    out.writeVarInt(0).writeVarLong(-1L).writeVarInt(0).writeVarInt(0);
    assertThatThrownBy(() -> catalog.decode(out.toByteArray()))
        .isInstanceOf(MalformedMessageException.class);
  }
}
