package org.buddygrid.session.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One raw {@code Set-Cookie} header, parsed just enough to check it: name, value, attributes (names
 * compared case-insensitively; a flag like {@code HttpOnly} has the value {@code ""}).
 *
 * @param raw the header value as received
 * @param name the cookie's name
 * @param value the cookie's value, as sent (quotes kept)
 * @param attributes the attributes in order, as name/value pairs
 */
public record SetCookie(String raw, String name, String value, List<String[]> attributes) {

  /** Parses {@code name=value; Attr=v; Flag}. */
  public static SetCookie parse(String raw) {
    String[] parts = raw.split(";");
    String first = parts[0].trim();
    int eq = first.indexOf('=');
    List<String[]> attributes = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        continue;
      }
      int aeq = part.indexOf('=');
      attributes.add(
          aeq < 0
              ? new String[] {part, ""}
              : new String[] {part.substring(0, aeq).trim(), part.substring(aeq + 1).trim()});
    }
    return new SetCookie(
        raw,
        eq < 0 ? first : first.substring(0, eq).trim(),
        eq < 0 ? "" : first.substring(eq + 1).trim(),
        List.copyOf(attributes));
  }

  /** The value of the attribute with this name ({@code ""} for a flag), or null if absent. */
  public String attribute(String attributeName) {
    String wanted = attributeName.toLowerCase(Locale.ROOT);
    for (String[] a : attributes) {
      if (a[0].toLowerCase(Locale.ROOT).equals(wanted)) {
        return a[1];
      }
    }
    return null;
  }

  /** Whether the attribute is present. */
  public boolean has(String attributeName) {
    return attribute(attributeName) != null;
  }
}
