package org.buddygrid.session;

/**
 * The {@code SameSite} attribute of the session cookie ({@code buddygrid.cookie.same-site}). {@link
 * #UNSET} leaves the attribute out, so the browser applies its own default.
 */
public enum SameSite {
  LAX("Lax"),
  STRICT("Strict"),
  NONE("None"),
  UNSET(null);

  private final String attributeValue;

  SameSite(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value as written in {@code Set-Cookie}, or {@code null} for {@link #UNSET}. */
  public String attributeValue() {
    return attributeValue;
  }
}
