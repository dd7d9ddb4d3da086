package org.buddygrid.core.attribute;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.buddygrid.core.GridException;

/**
 * The allow-list of classes whose instances may be stored in a replicated session ({@value
 * #SETTING}).
 *
 * <p>A policy always allows the JDK value types and collections listed by {@link #jdkClasses()}
 * (boxed primitives, {@code String}, {@code BigDecimal}/{@code BigInteger}, the {@code java.time}
 * values, {@code UUID}, {@code Date}, {@code Locale}, {@code Currency}, the atomic numbers, the
 * {@code java.util} collections including the {@code List.of}/{@code Set.of}/{@code Map.of}
 * implementations and the {@code Collections.empty*}/{@code singleton*}/{@code unmodifiable*}/
 * {@code synchronized*} wrappers, {@code EnumMap}/{@code EnumSet}, primitive arrays), plus the
 * classes named by its patterns. A pattern is one of:
 *
 * <ul>
 *   <li>{@code com.example.Cart}: that class only (a nested class is {@code
 *       com.example.Cart$Line});
 *   <li>{@code com.example.*}: every class of package {@code com.example}, nested classes included,
 *       but not its subpackages;
 *   <li>{@code com.example.**}: every class of {@code com.example} and of its subpackages.
 * </ul>
 *
 * <p>Enums and records get no special treatment: they are allowed when their class is. An array is
 * allowed when its element class is. Lambdas, dynamic proxies and other hidden classes are never
 * allowed, whatever the patterns: another node could not name them.
 *
 * <p>The policy is applied on both sides: {@link AttributeCodec#encode(String, Object)} refuses a
 * value holding a class outside it with a {@link ClassNotAllowedException}, and {@link
 * AttributeCodec#decode(byte[])} checks every class <em>name</em> it reads before loading the
 * class, so nothing outside the policy is ever loaded or instantiated from received bytes. A
 * pattern therefore grants whoever can send bytes to the node the right to instantiate any class it
 * matches, through its no-argument constructor or without a constructor: allow the packages of
 * plain data classes, not whole libraries.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClassPolicy {
  /** The setting that lists the allowed patterns, separated by commas or white space. */
  public static final String SETTING = "buddygrid.allow";

  private static final String IDENTIFIER =
      "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
  private static final Pattern VALID =
      Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(\\.\\*\\*?)?");
  private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
  private static final ClassPolicy JDK_ONLY = new ClassPolicy(List.of());

  private final List<String> patterns;
  private final Set<String> classes = new HashSet<>();
  private final Set<String> packages = new HashSet<>();
  private final List<String> packageTrees = new ArrayList<>();

  private ClassPolicy(List<String> patterns) {
    this.patterns = patterns;
    for (String pattern : patterns) {
      if (pattern.endsWith(".**")) {
        packageTrees.add(pattern.substring(0, pattern.length() - 2));
      } else if (pattern.endsWith(".*")) {
        packages.add(pattern.substring(0, pattern.length() - 2));
      } else {
        classes.add(pattern);
      }
    }
  }

  /** The policy that allows the JDK classes of {@link #jdkClasses()} and nothing else. */
  public static ClassPolicy jdkOnly() {
    return JDK_ONLY;
  }

  /**
   * The JDK classes plus the classes matched by {@code patterns}.
   *
   * @throws GridException if a pattern is not a class name, {@code package.*} or {@code package.**}
   */
  public static ClassPolicy allowing(String... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return allowing(List.of(patterns));
  }

  /**
   * The JDK classes plus the classes matched by {@code patterns}.
   *
   * @throws GridException if a pattern is not a class name, {@code package.*} or {@code package.**}
   */
  public static ClassPolicy allowing(Collection<String> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    List<String> valid = new ArrayList<>(patterns.size());
    for (String pattern : patterns) {
      Objects.requireNonNull(pattern, "pattern");
      String trimmed = pattern.trim();
      validate(trimmed);
      if (!valid.contains(trimmed)) {
        valid.add(trimmed);
      }
    }
    return valid.isEmpty() ? JDK_ONLY : new ClassPolicy(List.copyOf(valid));
  }

  /**
   * The policy a {@value #SETTING} value describes: patterns separated by commas or white space,
   * for example {@code "com.example.shop.**, com.example.auth.UserProfile"}. An empty or blank
   * value gives {@link #jdkOnly()}.
   *
   * @throws GridException if a pattern is not a class name, {@code package.*} or {@code package.**}
   */
  public static ClassPolicy parse(String setting) {
    Objects.requireNonNull(setting, "setting");
    List<String> patterns = new ArrayList<>();
    for (String part : SEPARATORS.split(setting.trim())) {
      if (!part.isEmpty()) {
        patterns.add(part);
      }
    }
    return allowing(patterns);
  }

  private static void validate(String pattern) {
    if (pattern.equals("*") || pattern.equals("**")) {
      throw new GridException(
          "Pattern \""
              + pattern
              + "\" in "
              + SETTING
              + " would allow every class, so any sender could instantiate anything on this node:"
              + " name your packages instead, e.g. \"com.example.**\"");
    }
    if (!VALID.matcher(pattern).matches()) {
      throw new GridException(
          "Pattern \""
              + pattern
              + "\" in "
              + SETTING
              + " is neither a class (\"com.example.Cart\"), a package (\"com.example.*\") nor a"
              + " package with its subpackages (\"com.example.**\")");
    }
  }

  /** The patterns given to this policy, in order, without the JDK classes. */
  public List<String> patterns() {
    return patterns;
  }

  /** The binary names of the JDK classes every policy allows. */
  public static SortedSet<String> jdkClasses() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(JdkTypes.ALLOWED_NAMES));
  }

  /**
   * Whether instances of {@code type} may be stored: a primitive, a JDK class of {@link
   * #jdkClasses()}, a class matched by a pattern, or an array of one of these. Never a lambda,
   * proxy or other hidden class.
   */
  public boolean isAllowed(Class<?> type) {
    Objects.requireNonNull(type, "type");
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return true;
    }
    if (element.isHidden() || Proxy.isProxyClass(element)) {
      return false;
    }
    return isAllowedName(element.getName());
  }

  /**
   * Whether the class of this binary name ({@link Class#getName()}, e.g. {@code
   * com.example.Cart$Line} or {@code [Lcom.example.Item;}) may be stored. Decides on the name
   * alone, without loading the class.
   */
  public boolean isAllowed(String className) {
    Objects.requireNonNull(className, "className");
    String element = elementName(className);
    return element != null && (element.length() == 1 || isAllowedName(element));
  }

  /** Throws if {@code type} may not be stored; names its element class if it is an array. */
  void check(Class<?> type) {
    if (!isAllowed(type)) {
      Class<?> element = type;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      throw refusal(element);
    }
  }

  /** Throws if the class named {@code className} may not be stored. */
  void check(String className) {
    if (!isAllowed(className)) {
      String element = elementName(className);
      throw ClassNotAllowedException.notAllowed(element == null ? className : element);
    }
  }

  static ClassNotAllowedException refusal(Class<?> element) {
    if (element.isHidden()) {
      return ClassNotAllowedException.unnamable(element.getName(), "a lambda or a hidden class");
    }
    if (Proxy.isProxyClass(element)) {
      return ClassNotAllowedException.unnamable(element.getName(), "a dynamic proxy");
    }
    return ClassNotAllowedException.notAllowed(element.getName());
  }

  /**
   * The element name of an array name ("[[Lcom.x.Y;" gives "com.x.Y", "[I" gives "I"), the name
   * itself otherwise; null if it is a malformed array name.
   */
  private static String elementName(String name) {
    if (name.isEmpty() || name.charAt(0) != '[') {
      return name;
    }
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    String rest = name.substring(dims);
    if (rest.length() == 1 && "ZBCSIJFD".contains(rest)) {
      return rest;
    }
    if (rest.length() > 2 && rest.charAt(0) == 'L' && rest.endsWith(";")) {
      String element = rest.substring(1, rest.length() - 1);
      return element.isEmpty() || element.charAt(0) == '[' ? null : element;
    }
    return null;
  }

  private boolean isAllowedName(String name) {
    if (JdkTypes.ALLOWED_NAMES.contains(name) || classes.contains(name)) {
      return true;
    }
    int lastDot = name.lastIndexOf('.');
    String pkg = lastDot < 0 ? "" : name.substring(0, lastDot);
    if (packages.contains(pkg)) {
      return true;
    }
    for (String tree : packageTrees) {
      if (name.startsWith(tree)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassPolicy && ((ClassPolicy) o).patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return "ClassPolicy" + patterns + " + JDK classes";
  }
}
