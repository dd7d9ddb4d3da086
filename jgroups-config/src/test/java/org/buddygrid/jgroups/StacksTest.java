package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jgroups.JChannel;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.UDP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The loader: stacks by name, path and URL, placeholder resolution and its error messages. */
class StacksTest {
  private static final String KNOWN_LIST =
      "known stacks: loopback, udp, tcp, secure (or give a path or URL of a JGroups XML)";

  @TempDir Path dir;

  @Test
  void factoriesLoadTheShippedStacks() throws Exception {
    assertThat(Stacks.KNOWN).containsExactly("loopback", "udp", "tcp", "secure");
    assertTransport(Stacks.loopback(), SHARED_LOOPBACK.class);
    assertTransport(Stacks.udp(), UDP.class);
    assertTransport(Stacks.tcp(), TCP.class);
    assertThat(Stacks.named(" tcp ").xml()).isEqualTo(Stacks.tcp().xml());
    assertThat(Stacks.tcp().name()).isEqualTo("tcp");
  }

  private static void assertTransport(JGroupsStack stack, Class<?> transport) throws Exception {
    try (JChannel channel = stack.newChannel()) {
      assertThat(channel.getProtocolStack().getTransport()).isInstanceOf(transport);
    }
  }

  @Test
  void loadsStackFromPath() throws Exception {
    Path file = dir.resolve("custom.xml");
    Files.writeString(file, Stacks.loopback().xml(), StandardCharsets.UTF_8);

    JGroupsStack stack = Stacks.named(file.toString());

    assertThat(stack.name()).isEqualTo(file.toString());
    assertTransport(stack, SHARED_LOOPBACK.class);
  }

  @Test
  void loadsStackFromFileUrl() throws Exception {
    Path file = dir.resolve("custom-url.xml");
    Files.writeString(file, Stacks.loopback().xml(), StandardCharsets.UTF_8);

    JGroupsStack stack = Stacks.named(file.toUri().toString());

    assertThat(stack.name()).startsWith("file:");
    assertTransport(stack, SHARED_LOOPBACK.class);
  }

  @Test
  void loadsRelativeNameFromClasspath() {
    assertThat(Stacks.named("buddygrid-udp.xml").xml()).isEqualTo(Stacks.udp().xml());
  }

  @Test
  void unknownNameListsKnownStacks() {
    assertThatThrownBy(() -> Stacks.named("tpc"))
        .isInstanceOf(StackException.class)
        .hasMessage("JGroups stack \"tpc\" not found; " + KNOWN_LIST);
    assertThatThrownBy(() -> Stacks.named("  "))
        .isInstanceOf(StackException.class)
        .hasMessage("JGroups stack name is empty; " + KNOWN_LIST);
  }

  @Test
  void missingFileSaysWhereItLooked() {
    Path missing = dir.resolve("nowhere.xml");
    assertThatThrownBy(() -> Stacks.named(missing.toString()))
        .isInstanceOf(StackException.class)
        .hasMessageContaining(missing.toAbsolutePath().toString())
        .hasMessageContaining("does not exist or is not readable")
        .hasMessageContaining(KNOWN_LIST);
  }

  @Test
  void unresolvedPlaceholderIsNamed() throws Exception {
    JGroupsStack stack = stackWith("<SHARED_LOOPBACK bundler_type=\"${buddygrid.test.missing}\"/>");

    assertThatThrownBy(stack::resolvedXml)
        .isInstanceOf(StackException.class)
        .hasMessage(
            "Placeholder ${buddygrid.test.missing} has no value: set it as a property or system"
                + " property");
    assertThatThrownBy(stack::newChannel)
        .isInstanceOf(StackException.class)
        .hasMessageContaining("${buddygrid.test.missing}");
  }

  @Test
  void valueOverridesSystemPropertyOverridesDefault() throws Exception {
    String key = "buddygrid.test.precedence";
    JGroupsStack stack = stackWith("<X a=\"${" + key + ":from-default}\"/>");
    try {
      assertThat(attribute(stack, "X", "a")).isEqualTo("from-default");

      System.setProperty(key, "from-system");
      assertThat(attribute(stack, "X", "a")).isEqualTo("from-system");

      assertThat(attribute(stack.with(key, "from-value"), "X", "a")).isEqualTo("from-value");
      assertThat(attribute(stack.with(key, "from-value").with(key, null), "X", "a"))
          .isEqualTo("from-system");
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void valuesWithXmlSpecialCharactersArriveVerbatim() throws Exception {
    String nasty = "a\"b'c<d>e&f&amp;${g}";
    JGroupsStack stack =
        stackWith("<X a=\"${buddygrid.test.nasty}\" b='${buddygrid.test.nasty}'/>");

    JGroupsStack withValue = stack.with("buddygrid.test.nasty", nasty);

    assertThat(attribute(withValue, "X", "a")).isEqualTo(nasty);
    assertThat(attribute(withValue, "X", "b")).isEqualTo(nasty);
  }

  @Test
  void defaultsAreXmlTextAndNotEscapedTwice() throws Exception {
    JGroupsStack stack = stackWith("<X a=\"${buddygrid.test.amp:a&amp;b}\"/>");
    assertThat(attribute(stack, "X", "a")).isEqualTo("a&b");
  }

  @Test
  void placeholdersInCommentsAreLeftAlone() throws Exception {
    JGroupsStack stack =
        stackWith(
            "<!-- set ${buddygrid.test.undocumented} for ... --><X a=\"${buddygrid.test.x:1}\"/>");
    assertThat(stack.resolvedXml()).contains("<!-- set ${buddygrid.test.undocumented} for ... -->");
    assertThat(attribute(stack, "X", "a")).isEqualTo("1");
  }

  @Test
  void withReturnsNewStackAndLeavesTheOriginal() {
    JGroupsStack original = Stacks.tcp();
    JGroupsStack changed = original.withBindPort(7900);

    assertThat(original.values()).isEmpty();
    assertThat(changed.values()).containsEntry("buddygrid.bind_port", "7900");
    assertThat(changed.xml()).isEqualTo(original.xml());
    assertThatThrownBy(() -> changed.values().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withAllTakesOnlyBuddyGridProperties() {
    Properties properties = new Properties();
    properties.setProperty("buddygrid.bind_port", "7805");
    properties.setProperty("jgroups.bind_addr", "10.0.0.1");
    properties.setProperty("other", "x");

    assertThat(Stacks.tcp().withAll(properties).values())
        .containsOnlyKeys("buddygrid.bind_port")
        .containsEntry("buddygrid.bind_port", "7805");
  }

  /** A stack from a file holding {@code body} inside {@code <config>}. */
  private JGroupsStack stackWith(String body) throws Exception {
    Path file = Files.createTempFile(dir, "stack", ".xml");
    Files.writeString(file, "<config>" + body + "</config>", StandardCharsets.UTF_8);
    return Stacks.named(file.toString());
  }

  private static String attribute(JGroupsStack stack, String element, String name)
      throws Exception {
    Element e =
        (Element)
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new InputSource(new StringReader(stack.resolvedXml())))
                .getElementsByTagName(element)
                .item(0);
    return e.getAttribute(name);
  }

  @Test
  void settingNamesAreThePlaceholdersOutsideCommentsAndTheDiscoveryKeys(@TempDir Path dir)
      throws Exception {
    assertThat(Stacks.tcp().settingNames())
        .contains(
            "buddygrid.tcp.initial_hosts",
            "buddygrid.bind_addr",
            "buddygrid.fd.timeout",
            "buddygrid.tcp.discovery",
            "buddygrid.dns.query")
        .doesNotContain("buddygrid.mcast_addr");
    Path custom = dir.resolve("custom.xml");
    Files.writeString(
        custom,
        "<config><!-- ${buddygrid.commented} --><SHARED_LOOPBACK"
            + " x=\"${my.own:1}\" y=\"${buddygrid.own}\"/></config>",
        StandardCharsets.UTF_8);
    assertThat(Stacks.named(custom.toString()).settingNames())
        .contains("my.own", "buddygrid.own")
        .doesNotContain("buddygrid.commented");
  }
}
