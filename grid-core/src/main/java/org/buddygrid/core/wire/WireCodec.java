package org.buddygrid.core.wire;

/**
 * Writes and reads one message type. Implementations are stateless and thread-safe.
 *
 * <p>{@link #read} must validate everything it reads (lengths against limits, values against their
 * domain) and throw {@link MalformedMessageException} for anything else; {@link WireInput} already
 * refuses truncated input and impossible lengths.
 *
 * @param <T> the message type
 */
public interface WireCodec<T> {
  void write(T value, WireOutput out);

  T read(WireInput in);
}
