package org.buddygrid.jgroups;

/**
 * A JGroups stack could not be found, read or completed. The message always says what to change:
 * the known stack names, or the placeholder that needs a value.
 */
public final class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
