package org.buddygrid.session;

import java.util.List;
import org.buddygrid.core.GridConfigurationException;

/**
 * The adapter's settings are wrong. The message lists every problem found, one per line, each
 * naming the key, the value, where it came from, and what to do about it.
 */
public final class InvalidSettingsException extends GridConfigurationException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<String> problems) {
    StringBuilder b = new StringBuilder("BuddyGrid settings are invalid:");
    for (String p : problems) {
      b.append(System.lineSeparator()).append("  - ").append(p);
    }
    return b.toString();
  }

  /** Each problem on its own, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
