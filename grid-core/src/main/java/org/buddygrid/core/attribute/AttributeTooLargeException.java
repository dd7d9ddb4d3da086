package org.buddygrid.core.attribute;

import org.buddygrid.core.GridException;

/**
 * A value exceeds one of the {@link CodecLimits}: its encoded size, the length of one of its
 * collections, maps, arrays or strings, or its nesting depth.
 *
 * <p>Thrown by {@link AttributeCodec#encode(String, Object)} on the node that owns the session, so
 * the application sees it at {@code setAttribute} or at the end of the request. The message names
 * the attribute, the size found, the setting and its value, for example:
 *
 * <pre>
 * Attribute "report" is 3.2 MB, over buddygrid.max-attribute-size (1 MB): store a reference
 * instead, or raise the limit
 * </pre>
 */
public final class AttributeTooLargeException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String attributeName;
  private final String setting;

  AttributeTooLargeException(String attributeName, String setting, String message) {
    super(message);
    this.attributeName = attributeName;
    this.setting = setting;
  }

  /** The name of the attribute as given to {@link AttributeCodec#encode(String, Object)}. */
  public String attributeName() {
    return attributeName;
  }

  /** The setting whose limit was exceeded, one of the setting names in {@link CodecLimits}. */
  public String setting() {
    return setting;
  }
}
