package org.buddygrid.jgroups;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${name:default}} placeholders in stack XML. A looked-up value is escaped for an
 * XML attribute; a default is XML text already (it sits in the file) and is inserted as written.
 * Comments are left alone: documentation may mention a placeholder it does not use.
 */
final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

  private Placeholders() {}

  /**
   * {@code text} with every placeholder outside comments replaced by {@code lookup}'s value
   * (XML-escaped) or else its default.
   *
   * @throws StackException naming the first placeholder with neither
   */
  static String resolve(String text, Function<String, String> lookup) {
    StringBuilder out = new StringBuilder(text.length());
    Matcher comment = COMMENT.matcher(text);
    int from = 0;
    while (comment.find()) {
      resolveInto(out, text.substring(from, comment.start()), lookup);
      // Comments are left alone: documentation may mention a placeholder it does not use.
      out.append(comment.group());
      from = comment.end();
    }
    resolveInto(out, text.substring(from), lookup);
    return out.toString();
  }

  private static void resolveInto(StringBuilder out, String text, Function<String, String> lookup) {
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String key = m.group(1).trim();
      String value = lookup.apply(key);
      String replacement;
      if (value != null) {
        replacement = escapeXmlAttribute(value);
      } else if (m.group(2) != null) {
        // A default is XML text already (it sits in the file): inserted as written.
        replacement = m.group(2);
      } else {
        throw new StackException(
            "Placeholder ${" + key + "} has no value: set it as a property or system property");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
  }

  /** The names of the placeholders in {@code text} outside comments, in order of appearance. */
  static Set<String> names(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(COMMENT.matcher(text).replaceAll(""));
    while (m.find()) {
      names.add(m.group(1).trim());
    }
    return names;
  }

  private static String escapeXmlAttribute(String value) {
    return value
        .replace("&", "&amp;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}
