package org.buddygrid.core;

/** A setting is missing or has a value BuddyGrid cannot use; the message names it and the fix. */
public class GridConfigurationException extends GridException {
  private static final long serialVersionUID = 1L;

  public GridConfigurationException(String message) {
    super(message);
  }

  public GridConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
