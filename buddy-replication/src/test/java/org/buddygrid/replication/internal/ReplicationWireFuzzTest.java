package org.buddygrid.replication.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.WireFuzzing;
import org.buddygrid.core.wire.WireCatalog;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of every replication message type ({@link ReplicationCatalog#catalog()},
 * which includes the status query's): deltas, full copies, take-overs, hand-offs, digests, location
 * updates. For any bytes: decoding returns a message or throws {@link MalformedMessageException},
 * nothing else; it allocates at most a fixed amount plus a small multiple of the input's size (a
 * count or length is checked against the input before anything is allocated for it); a decoded
 * message re-encodes to bytes that decode and encode to the same bytes (records holding {@code
 * byte[]} have no value equality, so the bytes are compared).
 *
 * <p>The attribute values inside a delta are opaque here; {@code AttributeFuzzTest} in grid-core
 * fuzzes their decoding.
 */
class ReplicationWireFuzzTest {
  private static final WireCatalog CATALOG = ReplicationCatalog.catalog();

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void decode(byte[] frame) {
    WireFuzzing.decodeFrame(CATALOG, frame);
  }
}
