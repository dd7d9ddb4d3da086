package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The settings table of the README lists every setting, with its default, and nothing else. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeTest {

  @Test
  void theSettingsTableMatchesTheSettings() throws Exception {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
      if (line.startsWith("| `buddygrid.")) {
        String[] cells = line.split("\\|");
        rows.put(cells[1].strip().replace("`", ""), cells[2].strip());
      }
    }
    assertThat(rows.keySet())
        .containsExactlyElementsOf(BuddyGridSettings.all().stream().map(Setting::key).toList());
    for (Setting<?> s : BuddyGridSettings.all()) {
      String documented = rows.get(s.key());
      String expected = s.defaultText().orElse("");
      if (expected.isEmpty()) {
        assertThat(documented).as(s.key()).doesNotContain("`");
      } else {
        assertThat(documented).as(s.key()).startsWith("`" + expected + "`");
      }
    }
  }
}
