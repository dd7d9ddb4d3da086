package org.buddygrid.core.attribute;

import java.util.Objects;
import org.buddygrid.core.GridException;

/**
 * Bytes that {@link AttributeCodec#decode(byte[])} refused: truncated or corrupt input, a class
 * outside this node's {@link ClassPolicy}, or a length or depth over this node's {@link
 * CodecLimits}.
 *
 * <p>This is the only exception {@code decode} throws, whatever the bytes: Kryo's own exceptions,
 * stack overflows and failures of application constructors or {@code hashCode} methods met while
 * rebuilding the value all arrive as this exception, with the original as its cause. The input is
 * to be dropped and counted by {@link #kind()}; the node carries on.
 */
public final class MalformedAttributeException extends GridException {
  private static final long serialVersionUID = 1L;

  /** Why the bytes were refused; lets callers count refusals by kind. */
  public enum Kind {
    /** Truncated, corrupt or not written by this codec. */
    MALFORMED,
    /** Names a class this node's {@link ClassPolicy} does not allow; nothing was instantiated. */
    CLASS_NOT_ALLOWED,
    /** Claims a size, length or depth over this node's {@link CodecLimits}. */
    LIMIT_EXCEEDED
  }

  private final Kind kind;

  MalformedAttributeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Why the bytes were refused. */
  public Kind kind() {
    return kind;
  }
}
