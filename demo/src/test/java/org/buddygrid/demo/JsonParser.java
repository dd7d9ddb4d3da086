package org.buddygrid.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON the demo writes, for tests: objects as maps, arrays as lists, numbers as doubles.
 */
public final class JsonParser {
  private final String s;
  private int i;

  private JsonParser(String s) {
    this.s = s;
  }

  /** Parses one JSON value. */
  public static Object parse(String json) {
    JsonParser p = new JsonParser(json);
    Object v = p.value();
    p.space();
    if (p.i != json.length()) {
      throw new IllegalArgumentException("trailing text at " + p.i + ": " + json);
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String json) {
    return (Map<String, Object>) parse(json);
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private Object value() {
    space();
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          space();
          String k = string();
          space();
          expect(':');
          m.put(k, value());
          space();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          expect(',');
        }
      }
      case '[' -> {
        i++;
        List<Object> l = new ArrayList<>();
        space();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          space();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          expect(',');
        }
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (s.startsWith("true", i)) {
          i += 4;
          return true;
        }
        if (s.startsWith("false", i)) {
          i += 5;
          return false;
        }
        if (s.startsWith("null", i)) {
          i += 4;
          return null;
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        if (start == i) {
          throw new IllegalArgumentException("unexpected " + c + " at " + i);
        }
        return Double.parseDouble(s.substring(start, i));
      }
    }
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + i + " in " + s);
    }
    i++;
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
  }
}
