package org.buddygrid.replication;

/**
 * {@link GridSession#setAttribute(String, Object)} refused a value: with it, the session's
 * attributes would encode to more than {@code buddygrid.max-session-size} ({@link
 * SessionGrid.Builder#maxSessionSize(long)}) bytes. The attribute keeps its previous value (or
 * stays absent). The message names the setting and what to do.
 */
public final class SessionTooLargeException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SessionTooLargeException(String attribute, long size, long limit) {
    super(
        "setting attribute \""
            + attribute
            + "\" would make the session's attributes "
            + size
            + " bytes, over buddygrid.max-session-size ("
            + limit
            + " bytes): store less in the session (a reference instead of the data), or raise"
            + " the limit");
  }
}
