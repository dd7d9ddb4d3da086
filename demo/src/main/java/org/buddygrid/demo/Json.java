package org.buddygrid.demo;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON from maps, collections, strings, numbers, booleans and nulls: all the demo's
 * endpoints need, without a JSON library in the jar.
 */
public final class Json {
  private Json() {}

  /** JSON text written as it is (it must be valid JSON). */
  public record Raw(String json) {}

  /** {@code value} as JSON text. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder(256);
    write(value, b);
    return b.toString();
  }

  private static void write(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Raw r) {
      b.append(r.json());
    } else if (v instanceof String s) {
      quote(s, b);
    } else if (v instanceof Double d) {
      b.append(d.isNaN() || d.isInfinite() ? "0" : String.format(java.util.Locale.ROOT, "%.2f", d));
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        quote(String.valueOf(e.getKey()), b);
        b.append(':');
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (v instanceof Collection<?> c) {
      b.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          b.append(',');
        }
        first = false;
        write(o, b);
      }
      b.append(']');
    } else {
      quote(v.toString(), b);
    }
  }

  private static void quote(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<' -> b.append("\\u003c"); // never closes a <script> it is embedded in
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
