package org.buddygrid.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; {@link #skewed} gives another node's clock, offset from this one. */
final class MutableClock extends Clock {
  private final AtomicLong millis;
  private final long offset;

  MutableClock() {
    this(new AtomicLong(1_800_000_000_000L), 0);
  }

  private MutableClock(AtomicLong millis, long offset) {
    this.millis = millis;
    this.offset = offset;
  }

  /** A clock that moves with this one, {@code skew} ahead (or behind, if negative). */
  MutableClock skewed(Duration skew) {
    return new MutableClock(millis, offset + skew.toMillis());
  }

  void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get() + offset);
  }
}
