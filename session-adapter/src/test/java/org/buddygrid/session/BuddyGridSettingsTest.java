package org.buddygrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddygrid.replication.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Loading settings: defaults, precedence, references, and messages that say what to do. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuddyGridSettingsTest {

  private static SettingsSource params(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return SettingsSource.of("servlet context init parameter", map);
  }

  private static InvalidSettingsException problems(SettingsSource... sources) {
    try {
      BuddyGridSettings.load(sources);
    } catch (InvalidSettingsException e) {
      return e;
    }
    throw new AssertionError("settings were accepted");
  }

  @Test
  void defaultsApplyWhenOnlyTheRouteIsGiven() {
    BuddyGridSettings s = BuddyGridSettings.load(params("buddygrid.route", "node1"));
    assertThat(s.get(BuddyGridSettings.ROUTE)).isEqualTo("node1");
    assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.SYNC);
    assertThat(s.get(BuddyGridSettings.BACKUPS)).isEqualTo(1);
    assertThat(s.get(BuddyGridSettings.MAX_INACTIVE)).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.get(BuddyGridSettings.MAX_BACKUP_BYTES)).isEqualTo(512L << 20);
    assertThat(s.get(BuddyGridSettings.COOKIE_SAME_SITE)).isEqualTo(SameSite.LAX);
    assertThat(s.get(BuddyGridSettings.ENABLED)).isFalse();
    assertThat(s.get(BuddyGridSettings.URL_REWRITING)).isFalse();
    assertThat(s.get(BuddyGridSettings.AT_RISK)).isEqualTo(AtRiskResponse.SERVE);
    assertThat(s.get(BuddyGridSettings.LISTENERS)).isEmpty();
    assertThat(s.find(BuddyGridSettings.HOST)).isEmpty();
    assertThat(s.isSet(BuddyGridSettings.TIMING)).isFalse();
    assertThat(s.origin(BuddyGridSettings.ROUTE)).contains("servlet context init parameter");
    assertThat(s.gridBuilder()).isNotNull();
  }

  @Test
  void everySettingHasAKeyUnderBuddygridAndAParsableDefault() {
    for (Setting<?> setting : BuddyGridSettings.all()) {
      assertThat(setting.key()).startsWith("buddygrid.");
      setting.defaultText().ifPresent(setting::parse);
    }
    assertThat(BuddyGridSettings.all().stream().map(Setting::key).distinct())
        .hasSameSizeAs(BuddyGridSettings.all());
  }

  @Test
  void theFirstSourceThatHasAKeyWins() {
    SettingsSource first =
        SettingsSource.of("filter init parameter", Map.of("buddygrid.timing", "ASYNC"));
    SettingsSource second =
        params(
            "buddygrid.route", "node1", "buddygrid.timing", "INTERVAL", "buddygrid.backups", "2");
    BuddyGridSettings s = BuddyGridSettings.load(first, second);
    assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.ASYNC);
    assertThat(s.origin(BuddyGridSettings.TIMING)).contains("filter init parameter");
    assertThat(s.get(BuddyGridSettings.BACKUPS)).isEqualTo(2);
  }

  @Test
  void systemPropertiesComeFirst() {
    System.setProperty("buddygrid.timing", "interval");
    try {
      BuddyGridSettings s =
          BuddyGridSettings.load(
              SettingsSource.systemProperties(),
              params("buddygrid.route", "node1", "buddygrid.timing", "SYNC"));
      assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.INTERVAL);
      assertThat(s.origin(BuddyGridSettings.TIMING)).contains("system property");
    } finally {
      System.clearProperty("buddygrid.timing");
    }
  }

  @Test
  void referencesResolveFromSystemPropertiesWithDefaults() {
    System.setProperty("bgtest.node.name", "node7");
    try {
      BuddyGridSettings s =
          BuddyGridSettings.load(
              params(
                  "buddygrid.route", "${bgtest.node.name}",
                  "buddygrid.cluster", "shop-${bgtest.absent:blue}"));
      assertThat(s.get(BuddyGridSettings.ROUTE)).isEqualTo("node7");
      assertThat(s.get(BuddyGridSettings.CLUSTER)).isEqualTo("shop-blue");
    } finally {
      System.clearProperty("bgtest.node.name");
    }
    assertThat(problems(params("buddygrid.route", "${bgtest.absent}")).getMessage())
        .contains("buddygrid.route=${bgtest.absent}")
        .contains("system property bgtest.absent is not set")
        .contains("${bgtest.absent:value}");
  }

  @Test
  void aMisspelledKeyIsReportedWithTheNearestKnownKey() {
    assertThat(problems(params("buddygrid.route", "node1", "buddygrid.timming", "SYNC")).problems())
        .containsExactly(
            "unknown setting buddygrid.timming (servlet context init parameter): did you mean"
                + " buddygrid.timing?");
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.tcp.inital_hosts", "h[7800]"))
                .getMessage())
        .contains("did you mean buddygrid.tcp.initial_hosts?");
    assertThat(problems(params("buddygrid.route", "node1", "buddygrid.zzzzzzzz", "1")).getMessage())
        .contains("unknown setting buddygrid.zzzzzzzz")
        .contains("README");
  }

  @Test
  void anUnknownSystemPropertyIsOnlyAWarningBecauseTheJvmSharesThem() {
    System.setProperty("buddygrid.timming", "SYNC");
    try {
      BuddyGridSettings s =
          BuddyGridSettings.load(SettingsSource.systemProperties(), params("buddygrid.route", "n"));
      assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.SYNC);
    } finally {
      System.clearProperty("buddygrid.timming");
    }
  }

  @Test
  void aBadValueListsWhatIsAllowed() {
    assertThat(problems(params("buddygrid.route", "node1", "buddygrid.timing", "SYNCH")).problems())
        .containsExactly(
            "buddygrid.timing=SYNCH (servlet context init parameter) must be one of SYNC, ASYNC,"
                + " INTERVAL");
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.cookie.same-site", "lazy"))
                .getMessage())
        .contains("must be one of LAX, STRICT, NONE, UNSET");
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.touch-interval", "10"))
                .getMessage())
        .contains("buddygrid.touch-interval=10")
        .contains("500ms, 2s, 30min");
    assertThat(problems(params("buddygrid.route", "node1", "buddygrid.backups", "9")).getMessage())
        .contains("buddygrid.backups=9")
        .contains("from 1 to 8");
    assertThat(problems(params("buddygrid.route", "node 1")).getMessage())
        .contains("buddygrid.route=node 1")
        .contains("1 to 32 of A-Z");
  }

  @Test
  void aMissingRouteSaysWhereToSetIt() {
    assertThat(problems(params()).getMessage())
        .contains("buddygrid.route is not set")
        .contains("-Dbuddygrid.route=node1")
        .contains("init parameter")
        .contains("WEB-INF/classes/buddygrid.properties");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidSettingsException e =
        problems(
            params(
                "buddygrid.timing", "sometimes",
                "buddygrid.backups", "zero",
                "buddygrid.jmx", "yes"));
    assertThat(e.problems()).hasSize(4); // three values and the missing route
  }

  @Test
  void valuesTheGridRefusesAreReportedWithTheirKey() {
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.flush-interval", "0"))
                .getMessage())
        .contains("buddygrid.flush-interval")
        .contains("must be positive");
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.stack", "nosuch")).getMessage())
        .contains("buddygrid.stack=nosuch")
        .contains("known stacks: loopback, udp, tcp");
    assertThat(
            problems(params("buddygrid.route", "node1", "buddygrid.allow", "com..bad"))
                .getMessage())
        .contains("buddygrid.allow");
  }

  @Test
  void stackSettingsAreKnownKeysAndReachTheStack() {
    BuddyGridSettings s =
        BuddyGridSettings.load(
            params(
                "buddygrid.route", "node1",
                "buddygrid.tcp.initial_hosts", "10.0.0.1[7800],10.0.0.2[7800]",
                "buddygrid.bind_addr", "127.0.0.1"));
    assertThat(s.stackValues())
        .containsEntry("buddygrid.tcp.initial_hosts", "10.0.0.1[7800],10.0.0.2[7800]")
        .containsEntry("buddygrid.bind_addr", "127.0.0.1")
        .doesNotContainKey("buddygrid.route");
    assertThat(
            problems(
                    params(
                        "buddygrid.route", "node1",
                        "buddygrid.tcp.discovery", "dns"))
                .getMessage())
        .contains("buddygrid.stack")
        .contains("buddygrid.dns.query");
  }

  @Test
  void valueFormsOfDurationsAndSizes() {
    BuddyGridSettings s =
        BuddyGridSettings.load(
            params(
                "buddygrid.route", "node1",
                "buddygrid.max-backup-bytes", "64MiB",
                "buddygrid.replication-timeout", "PT3S",
                "buddygrid.takeover-timeout", "1500ms",
                "buddygrid.hand-off-timeout", "2min",
                "buddygrid.max-inactive", "0",
                "buddygrid.allow", " com.example.** , com.example.Cart ",
                "buddygrid.granularity", "session",
                "buddygrid.dirty-on-get", "never",
                "buddygrid.at-risk", "unavailable"));
    assertThat(s.get(BuddyGridSettings.MAX_BACKUP_BYTES)).isEqualTo(64L << 20);
    assertThat(s.get(BuddyGridSettings.REPLICATION_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.get(BuddyGridSettings.TAKEOVER_TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.get(BuddyGridSettings.HAND_OFF_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.get(BuddyGridSettings.MAX_INACTIVE)).isEqualTo(Duration.ZERO);
    assertThat(s.get(BuddyGridSettings.ALLOW))
        .containsExactly("com.example.**", "com.example.Cart");
    assertThat(s.get(BuddyGridSettings.AT_RISK)).isEqualTo(AtRiskResponse.UNAVAILABLE);
  }

  @Test
  void aPropertiesResourceIsReadFromTheClassLoader(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve(SettingsSource.PROPERTIES_RESOURCE),
        "buddygrid.route=${bgtest.props.route:fromfile}\nbuddygrid.timing=ASYNC\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      SettingsSource file = SettingsSource.propertiesResource(loader);
      BuddyGridSettings s = BuddyGridSettings.load(params("buddygrid.timing", "SYNC"), file);
      assertThat(s.get(BuddyGridSettings.ROUTE)).isEqualTo("fromfile");
      assertThat(s.origin(BuddyGridSettings.ROUTE).orElseThrow())
          .startsWith("buddygrid.properties (file:");
      assertThat(s.get(BuddyGridSettings.TIMING)).isEqualTo(Timing.SYNC);
    }
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThat(SettingsSource.propertiesResource(empty).get("buddygrid.route")).isEmpty();
    }
  }

  @Test
  void aLookupSourceIsAskedForEveryKnownKey() {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("buddygrid.route", "node3");
    attributes.put("buddygrid.tcp.initial_hosts", "10.0.0.3[7800]");
    BuddyGridSettings s =
        BuddyGridSettings.load(
            List.of(SettingsSource.lookup("manager attribute", attributes::get)));
    assertThat(s.get(BuddyGridSettings.ROUTE)).isEqualTo("node3");
    assertThat(s.stackValues()).containsEntry("buddygrid.tcp.initial_hosts", "10.0.0.3[7800]");
  }
}
