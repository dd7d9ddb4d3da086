package org.buddygrid.session.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.buddygrid.session.BuddyGridSettings;
import org.buddygrid.session.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's table of Tomcat-mode attributes lists every setter, each with the key it sets. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReadmeAttributesTest {

  @Test
  void theAttributesTableMatchesTheSetters() throws Exception {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
      String[] cells = line.split("\\|");
      if (cells.length > 2 && cells[2].strip().startsWith("`buddygrid.")) {
        rows.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", ""));
      }
    }
    Set<String> setters =
        Arrays.stream(BuddyGridManager.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .filter(m -> m.getName().startsWith("set") && !m.getName().equals("setProperty"))
            .filter(m -> Arrays.equals(m.getParameterTypes(), new Class<?>[] {String.class}))
            .map(Method::getName)
            .map(n -> Character.toLowerCase(n.charAt(3)) + n.substring(4))
            .collect(Collectors.toSet());
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(setters);
    Set<String> keys =
        BuddyGridSettings.all().stream().map(Setting::key).collect(Collectors.toSet());
    rows.forEach(
        (attribute, key) -> {
          assertThat(ManagerSettings.key(attribute)).as(attribute).isEqualTo(key);
          assertThat(keys).as(attribute).contains(key);
        });
  }
}
