package org.buddygrid.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@link FailureDetectionTimer}, checked before anything starts. */
record TimerOptions(
    String stack,
    String fault,
    String victim,
    String profile,
    int rounds,
    int warmup,
    int members,
    Duration pause,
    Map<String, String> overrides) {
  static final String USAGE =
      "usage: FailureDetectionTimer [--stack tcp|udp] [--fault kill|stop|pause]"
          + " [--victim member|coordinator] [--profile default|tight] [--rounds 8] [--warmup 1]"
          + " [--members 3] [--pause 4s] [--set buddygrid.name=value ...]";

  static TimerOptions parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      if (args[i].equals("--set")) {
        int eq = args[i + 1].indexOf('=');
        if (eq < 1 || !args[i + 1].startsWith("buddygrid.")) {
          throw new IllegalArgumentException("--set takes buddygrid.name=value: " + args[i + 1]);
        }
        overrides.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
      } else {
        given.put(args[i], args[i + 1]);
      }
    }
    TimerOptions options =
        new TimerOptions(
            oneOf(given.remove("--stack"), "tcp", "tcp", "udp"),
            oneOf(given.remove("--fault"), "kill", "kill", "stop", "pause"),
            oneOf(given.remove("--victim"), "member", "member", "coordinator"),
            oneOf(given.remove("--profile"), "default", "default", "tight"),
            atLeast(given.remove("--rounds"), 8, 1),
            atLeast(given.remove("--warmup"), 1, 0),
            atLeast(given.remove("--members"), 3, 2),
            Duration.ofMillis(atLeast(given.remove("--pause"), 4000, 1)),
            overrides);
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("unknown options: " + given.keySet());
    }
    return options;
  }

  private static String oneOf(String value, String fallback, String... allowed) {
    if (value == null) {
      return fallback;
    }
    if (!List.of(allowed).contains(value)) {
      throw new IllegalArgumentException(value + " is not one of " + List.of(allowed));
    }
    return value;
  }

  /** A count, or a duration in milliseconds when it ends with "ms" or "s". */
  private static int atLeast(String value, int fallback, int min) {
    if (value == null) {
      return fallback;
    }
    int parsed;
    if (value.endsWith("ms")) {
      parsed = Integer.parseInt(value.substring(0, value.length() - 2));
    } else if (value.endsWith("s")) {
      parsed = Math.multiplyExact(Integer.parseInt(value.substring(0, value.length() - 1)), 1000);
    } else {
      parsed = Integer.parseInt(value);
    }
    if (parsed < min) {
      throw new IllegalArgumentException(value + " is below " + min);
    }
    return parsed;
  }
}
