package org.buddygrid.session.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddygrid.core.Member;

/**
 * Reads setting values from text. Each parser throws {@link IllegalArgumentException} with a
 * message that says what was expected, for the settings loader to prefix with the key and where the
 * value came from. Not API: the settings class is.
 */
public final class ValueParsers {
  private static final Pattern DURATION = Pattern.compile("(-?\\d+)\\s*(ms|s|min|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(|k|kib|m|mib|g|gib)");

  private ValueParsers() {}

  /** The text as given (blank is refused: an empty value is never what was meant). */
  public static String text(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value;
  }

  /** A node route: 1-32 of {@code [A-Za-z0-9_-]}. */
  public static String route(String value) {
    if (!Member.isValidRoute(value)) {
      throw new IllegalArgumentException(
          "must be 1 to 32 of A-Z, a-z, 0-9, '_' and '-' (it ends every session id and is the"
              + " route the load balancer knows this node by)");
    }
    return value;
  }

  public static boolean flag(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("must be true or false");
  }

  public static int integer(String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException("must be from " + min + " to " + max);
    }
    return parsed;
  }

  /**
   * A duration: a number with a unit ({@code 500ms}, {@code 2s}, {@code 30min}, {@code 1h}, {@code
   * 1d}) or ISO-8601 ({@code PT2S}). A bare {@code 0} or negative number needs no unit (for
   * "never").
   */
  public static Duration duration(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.matches("0|-\\d+")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "min" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (v.startsWith("p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException(
        "must be a duration such as 500ms, 2s, 30min, 1h, 1d or PT2S");
  }

  /** A size in bytes: a number, optionally with {@code KiB}, {@code MiB} or {@code GiB}. */
  public static long bytes(String value) {
    Matcher m = BYTES.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size such as 536870912, 64MiB or 1GiB");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is too large");
    }
    int shift =
        switch (m.group(2)) {
          case "k", "kib" -> 10;
          case "m", "mib" -> 20;
          case "g", "gib" -> 30;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("is too large");
    }
    return n << shift;
  }

  /** One of an enum's constants, ignoring case and treating '-' as '_'. */
  public static <E extends Enum<E>> E choice(String value, Class<E> type) {
    String wanted = value.replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(wanted)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    throw new IllegalArgumentException("must be one of " + String.join(", ", names));
  }

  /** Comma-separated items, each trimmed; empty items are dropped. */
  public static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      String t = item.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }
}
