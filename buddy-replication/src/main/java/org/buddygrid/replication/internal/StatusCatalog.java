package org.buddygrid.replication.internal;

import java.util.Map;
import java.util.TreeMap;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireCodec;
import org.buddygrid.core.wire.WireInput;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.internal.GridStatus.StatusQuery;
import org.buddygrid.replication.internal.GridStatus.StatusReport;

/**
 * Wire codecs of the status query (type ids 62 and 63, the top of the replication range, so the
 * protocol's own messages keep growing from the bottom).
 */
final class StatusCatalog {
  static final int MAX_METRICS = 1024;
  static final int MAX_METRIC_NAME_BYTES = 128;

  private StatusCatalog() {}

  static WireCatalog catalog() {
    return WireCatalog.builder()
        .add(
            62,
            StatusQuery.class,
            new WireCodec<>() {
              @Override
              public void write(StatusQuery q, WireOutput out) {}

              @Override
              public StatusQuery read(WireInput in) {
                return StatusQuery.INSTANCE;
              }
            })
        .add(
            63,
            StatusReport.class,
            new WireCodec<>() {
              @Override
              public void write(StatusReport r, WireOutput out) {
                out.writeVarInt(r.ownedSessions())
                    .writeVarLong(r.backupCopies())
                    .writeVarInt(r.sessionsAtRisk())
                    .writeVarInt(r.metrics().size());
                for (Map.Entry<String, Long> e : r.metrics().entrySet()) {
                  out.writeString(e.getKey()).writeSignedVarLong(e.getValue());
                }
              }

              @Override
              public StatusReport read(WireInput in) {
                int owned = in.readVarInt();
                long backups = in.readVarLong();
                int atRisk = in.readVarInt();
                if (owned < 0 || backups < 0 || atRisk < 0) {
                  throw new MalformedMessageException("invalid-value", "negative count");
                }
                int n = in.readCount(MAX_METRICS, 2);
                Map<String, Long> metrics = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                  metrics.put(in.readString(MAX_METRIC_NAME_BYTES), in.readSignedVarLong());
                }
                return new StatusReport(owned, backups, atRisk, metrics);
              }
            })
        .build();
  }
}
