package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * TUNING.md's table of placeholders is the one place a user reads defaults from: it must list every
 * placeholder of every shipped stack with the default the XML really has, and nothing else.
 */
class TuningDocTest {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `(buddygrid\\.[^`]+)` \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|.*$");
  private static final String ABSENT = "–";
  private static final String NO_DEFAULT = "(none)";

  @Test
  void everyPlaceholderIsDocumentedWithItsDefault() throws Exception {
    Map<String, Map<String, String>> documented = documentedDefaults();
    for (int column = 0; column < Stacks.KNOWN.size(); column++) {
      String stack = Stacks.KNOWN.get(column);
      Map<String, String> inXml = placeholderDefaults(Stacks.named(stack).xml());
      Map<String, String> inDoc = new TreeMap<>();
      documented.forEach(
          (name, byStack) -> {
            String cell = byStack.get(stack);
            if (!cell.equals(ABSENT)) {
              inDoc.put(name, cell);
            }
          });
      assertThat(inDoc).as("TUNING.md defaults for the %s stack", stack).isEqualTo(inXml);
    }
  }

  @Test
  void aPlaceholderHasOneDefaultWithinAStack() {
    for (String stack : Stacks.KNOWN) {
      Map<String, String> seen = new TreeMap<>();
      Matcher m = PLACEHOLDER.matcher(COMMENT.matcher(Stacks.named(stack).xml()).replaceAll(""));
      while (m.find()) {
        String shown = m.group(2) == null ? NO_DEFAULT : "`" + m.group(2) + "`";
        String earlier = seen.putIfAbsent(m.group(1), shown);
        assertThat(earlier == null ? shown : earlier).as(stack + " " + m.group(1)).isEqualTo(shown);
      }
    }
  }

  /** Placeholder name to its default as TUNING.md shows it: {@code `value`} or (none). */
  private static Map<String, String> placeholderDefaults(String xml) {
    Map<String, String> defaults = new TreeMap<>();
    Matcher m = PLACEHOLDER.matcher(COMMENT.matcher(xml).replaceAll(""));
    while (m.find()) {
      defaults.put(m.group(1), m.group(2) == null ? NO_DEFAULT : "`" + m.group(2) + "`");
    }
    return defaults;
  }

  private static Map<String, Map<String, String>> documentedDefaults() throws Exception {
    Path doc = Path.of("TUNING.md");
    assertThat(doc).as("run from the jgroups-config module directory").exists();
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        List<String> cells =
            List.of(m.group(2).trim(), m.group(3).trim(), m.group(4).trim(), m.group(5).trim());
        Map<String, String> byStack = new LinkedHashMap<>();
        for (int i = 0; i < Stacks.KNOWN.size(); i++) {
          byStack.put(Stacks.KNOWN.get(i), cells.get(i));
        }
        assertThat(rows.put(m.group(1), byStack)).as("row " + m.group(1)).isNull();
      }
    }
    assertThat(rows).as("placeholder rows in TUNING.md").isNotEmpty();
    return rows;
  }
}
