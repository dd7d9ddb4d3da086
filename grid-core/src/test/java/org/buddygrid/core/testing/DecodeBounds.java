package org.buddygrid.core.testing;

import java.lang.management.ManagementFactory;

/**
 * What a fuzz target checks besides "only the documented rejection": that decoding {@code n} bytes
 * allocates no more than {@code fixed + perByte * n} bytes on the calling thread. A length bomb (a
 * count or length claiming far more than the input holds) that reaches an allocation fails this
 * check even when the heap is large enough to survive it.
 *
 * <p>Uses HotSpot's per-thread allocation counter ({@code com.sun.management.ThreadMXBean}).
 */
public final class DecodeBounds {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long fixed;
  private final long perByte;

  private DecodeBounds(long fixed, long perByte) {
    if (!THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    THREADS.setThreadAllocatedMemoryEnabled(true);
    this.fixed = fixed;
    this.perByte = perByte;
  }

  /** At most {@code fixed + perByte * input length} bytes per decode. */
  public static DecodeBounds of(long fixed, long perByte) {
    return new DecodeBounds(fixed, perByte);
  }

  /** Bytes allocated by the current thread so far. */
  public static long allocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * Runs {@code decode} and returns what it returned (exceptions pass through), failing if it
   * allocated more than the bound for {@code inputLength} bytes. A run over the bound is repeated
   * once and only the repetition counts: the first decode of a kind of input also loads and
   * initialises classes, which allocates. {@code decode} must therefore have no side effects.
   */
  public <T> T check(int inputLength, Decode<T> decode) {
    long bound = fixed + perByte * inputLength;
    long before = allocated();
    try {
      return decode.run();
    } finally {
      if (allocated() - before > bound) {
        long again = allocated();
        try {
          decode.run();
        } catch (RuntimeException sameAsBefore) {
          // the first run's outcome is what the caller gets
        }
        long used = allocated() - again;
        if (used > bound) {
          throw new AssertionError(
              "decoding "
                  + inputLength
                  + " bytes allocated "
                  + used
                  + " bytes, over the bound of "
                  + bound
                  + ": a length or count is trusted before it is checked against the input");
        }
      }
    }
  }

  /** A decode step; may throw the decoder's rejection exception. */
  @FunctionalInterface
  public interface Decode<T> {
    T run();
  }
}
