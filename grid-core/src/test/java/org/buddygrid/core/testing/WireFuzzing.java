package org.buddygrid.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;

/** The property every wire fuzz target checks, for any catalog. */
public final class WireFuzzing {
  /** A frame of n bytes may cost 64 KiB plus 16 bytes per input byte to decode. */
  private static final DecodeBounds BOUNDS = DecodeBounds.of(64 << 10, 16);

  private WireFuzzing() {}

  /**
   * Decodes {@code frame}: it must decode or be refused with {@link MalformedMessageException}
   * (nothing else), within the allocation bound; a decoded message must re-encode to bytes that
   * decode and encode to the same bytes again (compared as bytes: records holding {@code byte[]}
   * have no value equality).
   */
  public static void decodeFrame(WireCatalog catalog, byte[] frame) {
    Object message;
    try {
      message = BOUNDS.check(frame.length, () -> catalog.decode(frame));
    } catch (MalformedMessageException refused) {
      assertThat(refused.kind()).isNotBlank();
      return;
    }
    byte[] encoded = catalog.encode(message);
    assertThat(catalog.encode(catalog.decode(encoded))).isEqualTo(encoded);
  }
}
