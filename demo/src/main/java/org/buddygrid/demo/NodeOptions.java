package org.buddygrid.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The demo node's command line: every option, its default and its check, in one place. Parsing
 * collects every problem at once; {@link DemoMain} prints them and exits with status 2.
 *
 * @param route this node's route (required)
 * @param httpPort the HTTP port
 * @param jgroupsPort the JGroups transport port ({@code buddygrid.bind_port})
 * @param initialHosts the tcp stack's member list ({@code buddygrid.tcp.initial_hosts})
 * @param bind the address HTTP and JGroups bind to ({@code buddygrid.bind_addr})
 * @param stack the JGroups stack: {@code tcp}, {@code udp}, or a stack XML's path or URL
 * @param mode {@code filter} (the servlet filter) or {@code tomcat} (the Tomcat session manager)
 * @param timing {@code SYNC}, {@code ASYNC} or {@code INTERVAL}
 * @param backups copies of each session besides the owner's
 * @param cluster the grid's cluster name
 * @param controlUrl the launcher's control server, for the dashboard's buttons (empty: none)
 * @param faultControlPort the test-only fault-injection endpoint's port on 127.0.0.1 (empty: off)
 */
public record NodeOptions(
    String route,
    int httpPort,
    int jgroupsPort,
    String initialHosts,
    String bind,
    String stack,
    String mode,
    String timing,
    int backups,
    String cluster,
    Optional<String> controlUrl,
    OptionalInt faultControlPort) {

  /** One option: its name, its value's placeholder, its default (null: required or none). */
  record Option(String name, String value, String defaultValue, String help) {}

  static final List<Option> OPTIONS =
      List.of(
          new Option(
              "--route",
              "NAME",
              null,
              "this node's route (required): unique, 1-32 of [A-Za-z0-9_-]"),
          new Option("--http-port", "PORT", "8081", "the HTTP port of the shop and the dashboard"),
          new Option("--jgroups-port", "PORT", "7900", "the JGroups transport port"),
          new Option(
              "--initial-hosts",
              "LIST",
              "127.0.0.1[<jgroups-port>]",
              "every member's JGroups address, e.g. 127.0.0.1[7900],127.0.0.1[7901]"),
          new Option("--bind", "ADDRESS", "127.0.0.1", "the address HTTP and JGroups bind to"),
          new Option(
              "--stack", "STACK", "tcp", "the JGroups stack: tcp, udp, or a stack XML's path"),
          new Option(
              "--mode", "MODE", "filter", "filter (servlet filter) or tomcat (Tomcat manager)"),
          new Option(
              "--timing",
              "TIMING",
              "SYNC",
              "when changes reach the backups: SYNC, ASYNC or INTERVAL"),
          new Option("--backups", "N", "1", "copies of each session besides the owner's, 1 to 8"),
          new Option("--cluster", "NAME", "buddygrid-demo", "the grid's cluster name"),
          new Option(
              "--control-url",
              "URL",
              null,
              "the launcher's control server (set by the launcher; enables the dashboard's buttons)"),
          new Option(
              "--fault-control-port",
              "PORT",
              null,
              "test only: a fault-injection endpoint on 127.0.0.1 (partitions; see README)"),
          new Option("--help", null, null, "print this help and exit"));

  private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern HOSTS =
      Pattern.compile("[A-Za-z0-9.:_-]+\\[\\d{1,5}\\](,[A-Za-z0-9.:_-]+\\[\\d{1,5}\\])*");
  private static final List<String> TIMINGS = List.of("SYNC", "ASYNC", "INTERVAL");

  /** The result of parsing: options, a request for help, or the problems found. */
  sealed interface Parsed {}

  /** Valid options. */
  record Valid(NodeOptions options) implements Parsed {}

  /** {@code --help} was given. */
  record Help() implements Parsed {}

  /** What is wrong, one line per problem. */
  record Invalid(List<String> problems) implements Parsed {}

  /** Parses {@code args}: {@code --name value} or {@code --name=value}. */
  static Parsed parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      String value = eq > 0 ? arg.substring(eq + 1) : null;
      if (name.equals("--help") || name.equals("-h")) {
        return new Help();
      }
      Optional<Option> option = OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst();
      if (option.isEmpty()) {
        problems.add("unknown option " + arg + suggestion(name));
        if (name.startsWith("--")
            && value == null
            && i + 1 < args.length
            && !args[i + 1].startsWith("--")) {
          i++; // its value
        }
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          problems.add(name + " needs a value: " + name + " " + option.get().value());
          continue;
        }
        value = args[++i];
      }
      if (given.put(name, value) != null) {
        problems.add(name + " is given twice");
      }
    }
    String route = given.get("--route");
    if (route == null) {
      problems.add("--route is required, e.g. --route node1");
    } else if (!ROUTE.matcher(route).matches()) {
      problems.add("--route " + route + " is not valid: use 1 to 32 of [A-Za-z0-9_-]");
    }
    int httpPort = port(given, "--http-port", problems);
    int jgroupsPort = port(given, "--jgroups-port", problems);
    String hosts = given.getOrDefault("--initial-hosts", "127.0.0.1[" + jgroupsPort + "]");
    if (!HOSTS.matcher(hosts).matches()) {
      problems.add(
          "--initial-hosts "
              + hosts
              + " is not valid: use host[port],host[port], e.g. 127.0.0.1[7900]");
    }
    String bind = given.getOrDefault("--bind", "127.0.0.1");
    if (bind.isBlank()) {
      problems.add("--bind needs an address, e.g. 127.0.0.1");
    }
    String stack = given.getOrDefault("--stack", "tcp");
    if (stack.equals("loopback")) {
      problems.add("--stack loopback only joins nodes in one JVM: use tcp or udp");
    }
    String mode = given.getOrDefault("--mode", "filter").toLowerCase(Locale.ROOT);
    if (!mode.equals("filter") && !mode.equals("tomcat")) {
      problems.add("--mode " + mode + " is not valid: use filter or tomcat");
    }
    String timing = given.getOrDefault("--timing", "SYNC").toUpperCase(Locale.ROOT);
    if (!TIMINGS.contains(timing)) {
      problems.add("--timing " + timing + " is not valid: use SYNC, ASYNC or INTERVAL");
    }
    int backups = number(given, "--backups", 1, 1, 8, problems);
    String cluster = given.getOrDefault("--cluster", "buddygrid-demo");
    if (cluster.isBlank()) {
      problems.add("--cluster needs a name");
    }
    Optional<String> control = Optional.ofNullable(given.get("--control-url"));
    if (control.isPresent()
        && !control.get().matches("http://(127\\.0\\.0\\.1|localhost):\\d+/?")) {
      problems.add("--control-url must be http://127.0.0.1:<port>/ (the launcher's, on loopback)");
    }
    OptionalInt faultControl =
        given.containsKey("--fault-control-port")
            ? OptionalInt.of(number(given, "--fault-control-port", 0, 1, 65535, problems))
            : OptionalInt.empty();
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    return new Valid(
        new NodeOptions(
            route,
            httpPort,
            jgroupsPort,
            hosts,
            bind,
            stack,
            mode,
            timing,
            backups,
            cluster,
            control,
            faultControl));
  }

  private static String suggestion(String name) {
    if (!name.startsWith("--")) {
      return " (options start with --)";
    }
    String bare = name.replaceFirst("^--", "");
    return OPTIONS.stream()
        .map(Option::name)
        .filter(
            o -> !bare.isEmpty() && (o.startsWith(name) || o.contains(bare) || name.startsWith(o)))
        .findFirst()
        .map(o -> ": did you mean " + o + "?")
        .orElse("");
  }

  private static int port(Map<String, String> given, String name, List<String> problems) {
    String def =
        OPTIONS.stream()
            .filter(o -> o.name().equals(name))
            .findFirst()
            .orElseThrow()
            .defaultValue();
    return number(given, name, Integer.parseInt(def), 1, 65535, problems);
  }

  private static int number(
      Map<String, String> given, String name, int def, int min, int max, List<String> problems) {
    String v = given.get(name);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + " " + v + " is not valid: use a number from " + min + " to " + max);
    return def;
  }

  /** The help text: usage, then every option with its default. */
  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: java -jar demo/target/buddygrid-demo.jar --route NAME [options]\n\n")
        .append(
            "Runs one BuddyGrid demo node: an embedded Tomcat with a shop and the grid dashboard\n")
        .append(
            "(/grid). Prints \"READY <route> <url>\" once it serves requests; SIGTERM stops it\n")
        .append("gracefully (its sessions are handed to other nodes first).\n\nOptions:\n");
    for (Option o : OPTIONS) {
      String left = o.name() + (o.value() == null ? "" : " " + o.value());
      b.append(String.format("  %-28s %s", left, o.help()));
      if (o.defaultValue() != null) {
        b.append(" (default: ").append(o.defaultValue()).append(')');
      } else if (o.value() != null && !o.name().equals("--route")) {
        b.append(" (default: none)");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** The node's own base URL, {@code http://<bind>:<port>/}. */
  public String baseUrl() {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    return "http://" + host + ":" + httpPort + "/";
  }
}
