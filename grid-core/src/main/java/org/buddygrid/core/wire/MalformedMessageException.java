package org.buddygrid.core.wire;

import java.util.Objects;
import org.buddygrid.core.GridException;

/**
 * Bytes from the network that are not a well-formed message: truncated, an impossible length, an
 * unknown type, trailing garbage. Never escapes into JGroups: the node drops the message, counts it
 * under {@link #kind()} and logs once per kind.
 */
public final class MalformedMessageException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String kind;

  /**
   * @param kind a short, stable name for the failure, used as a metric name (e.g. {@code
   *     truncated})
   * @param message what was wrong
   */
  public MalformedMessageException(String kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * A short, stable name for the failure: {@code truncated}, {@code too-long}, {@code
   * unknown-type}, ...
   */
  public String kind() {
    return kind;
  }
}
