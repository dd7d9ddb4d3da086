package org.buddygrid.core.attribute;

import org.buddygrid.core.GridException;

/**
 * A value holds an object whose class the {@link ClassPolicy} does not allow.
 *
 * <p>Thrown by {@link AttributeCodec#encode(String, Object)} on the node that owns the session, so
 * the application sees it at {@code setAttribute} or at the end of the request, before anything
 * leaves the node. The message names the class and the setting to change, for example:
 *
 * <pre>
 * Class com.example.Foo may not be stored in a replicated session: add "com.example.Foo" or
 * "com.example.**" to buddygrid.allow
 * </pre>
 *
 * <p>On the receiving side a class outside the policy is reported as a {@link
 * MalformedAttributeException} of kind {@link MalformedAttributeException.Kind#CLASS_NOT_ALLOWED},
 * with this exception as its cause.
 */
public final class ClassNotAllowedException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String className;

  ClassNotAllowedException(String className, String message) {
    super(message);
    this.className = className;
  }

  /**
   * Refuses a class that no pattern of the policy matches, suggesting the class or its package
   * tree; only the class for a JDK class, whose packages hold far more than data.
   */
  static ClassNotAllowedException notAllowed(String className) {
    int lastDot = className.lastIndexOf('.');
    String suggestion =
        lastDot < 0 || isJdk(className)
            ? "add \"" + className + "\""
            : "add \"" + className + "\" or \"" + className.substring(0, lastDot) + ".**\"";
    return new ClassNotAllowedException(
        className,
        "Class "
            + className
            + " may not be stored in a replicated session: "
            + suggestion
            + " to "
            + ClassPolicy.SETTING);
  }

  private static boolean isJdk(String className) {
    for (String prefix : new String[] {"java.", "javax.", "jdk.", "sun.", "com.sun."}) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Refuses a lambda, a dynamic proxy or another class that cannot be named on another node. */
  static ClassNotAllowedException unnamable(String className, String what) {
    return new ClassNotAllowedException(
        className,
        "Class "
            + className
            + " is "
            + what
            + " and may not be stored in a replicated session: store an instance of a named class"
            + " that "
            + ClassPolicy.SETTING
            + " allows instead");
  }

  /** The binary name of the refused class ({@link Class#getName()}); for an array, its element. */
  public String className() {
    return className;
  }
}
