package org.buddygrid.core.attribute;

import java.util.Objects;
import net.openhft.hashing.LongHashFunction;

/**
 * A cheap 64-bit hash of encoded attribute bytes (XXH3, seed 0), to tell whether an attribute's
 * bytes changed since they were last shipped without keeping or comparing the old bytes.
 *
 * <p>Not cryptographic: it detects accidental change, not tampering. Equal bytes always give equal
 * hashes, on every node and JVM; two different values collide with probability about
 * 2<sup>-64</sup>. Stateless and thread-safe; allocates nothing.
 */
public final class ContentHash {
  private static final LongHashFunction XXH3 = LongHashFunction.xx3();

  private ContentHash() {}

  /** The hash of all of {@code bytes}. */
  public static long of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return XXH3.hashBytes(bytes);
  }

  /** The hash of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static long of(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
    return XXH3.hashBytes(bytes, offset, length);
  }
}
