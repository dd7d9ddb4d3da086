package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.io.Output;
import org.buddygrid.core.attribute.LimitExceededException.Limit;

/**
 * A growable Kryo output that stops growing at a ceiling above the size limit, and that keeps the
 * first length limit a value went over (a string here, a collection in the serializers) so that no
 * owner ships what its backups would refuse. Encoding goes on after such a note: a value that is
 * also over the size limit is then reported as too large, the limit people meet first.
 */
final class BoundedOutput extends Output {
  private static final int INITIAL_CAPACITY = 4 * 1024;
  private static final int RETAINED_CAPACITY = 256 * 1024;

  private final int ceiling;
  private final int maxStringLength;
  private LimitExceededException exceeded;

  BoundedOutput(int ceiling, int maxStringLength) {
    super(Math.min(INITIAL_CAPACITY, ceiling), ceiling);
    this.ceiling = ceiling;
    this.maxStringLength = maxStringLength;
  }

  /** Rewinds for the next value, dropping a buffer that grew large. */
  void release() {
    exceeded = null;
    if (buffer.length > RETAINED_CAPACITY) {
      setBuffer(new byte[INITIAL_CAPACITY], ceiling);
    } else {
      reset();
    }
  }

  int ceiling() {
    return ceiling;
  }

  /** Notes a limit the value went over, keeping the first. */
  void exceeded(LimitExceededException limit) {
    if (exceeded == null) {
      exceeded = limit;
    }
  }

  /** The first limit the value went over, or null. */
  LimitExceededException exceeded() {
    return exceeded;
  }

  @Override
  public void writeString(String value) {
    if (value != null && value.length() > maxStringLength) {
      exceeded(new LimitExceededException(Limit.STRING_LENGTH, value.length(), maxStringLength));
    }
    super.writeString(value);
  }

  @Override
  public void writeAscii(String value) {
    if (value != null && value.length() > maxStringLength) {
      exceeded(new LimitExceededException(Limit.STRING_LENGTH, value.length(), maxStringLength));
    }
    super.writeAscii(value);
  }
}
