package org.buddygrid.core.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.internal.CoreMessages;
import org.buddygrid.core.testing.WireFuzzing;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the wire codec with grid-core's own messages (every type of {@link
 * CoreMessages#catalog()}) and every {@link WireInput} primitive (through {@link WireCatalogTest}'s
 * test message). For any bytes: decoding returns a message or throws {@link
 * MalformedMessageException}, nothing else; it allocates at most a fixed amount plus a small
 * multiple of the input's size; a decoded message re-encodes to bytes that decode and encode to the
 * same bytes.
 *
 * <p>{@code mvn verify} runs the committed inputs under {@code WireFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes (see RELIABILITY-RESULTS.md for the command).
 */
class WireFuzzTest {
  private static final WireCatalog CATALOG =
      WireCatalog.builder().addAll(CoreMessages.catalog()).addAll(WireCatalogTest.CATALOG).build();

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void decode(byte[] frame) {
    WireFuzzing.decodeFrame(CATALOG, frame);
  }
}
