package org.buddygrid.core;

/**
 * The root of every exception BuddyGrid throws. Unchecked; each message says what happened and what
 * to do about it (which setting to change, which class to allow).
 */
public class GridException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GridException(String message) {
    super(message);
  }

  public GridException(String message, Throwable cause) {
    super(message, cause);
  }
}
