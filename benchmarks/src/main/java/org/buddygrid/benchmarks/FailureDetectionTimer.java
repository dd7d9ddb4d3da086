package org.buddygrid.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.jgroups.testing.LoopbackNet;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.ProtocolStack;

/**
 * Measures how long a cluster on one of BuddyGrid's stacks takes to install a view without a member
 * whose JVM was killed ({@code kill -9}) or frozen ({@code kill -STOP}, like a long GC pause).
 *
 * <p>{@code members - 1} members run in this JVM; one runs in a child JVM (same {@code java}, same
 * class path) that is started, joined, faulted and removed once per round. The time of a round runs
 * from the signal to the moment the last in-process member has installed a view without the child.
 * Everything binds to 127.0.0.1 (udp: a random 239.x group, TTL 0; tcp: free ports), with a unique
 * cluster name. The child is killed in every outcome, and it exits by itself if this JVM dies (it
 * waits for end of input on its stdin).
 *
 * <pre>
 * java -Djava.net.preferIPv4Stack=true -cp benchmarks/target/benchmarks.jar \
 *     org.buddygrid.benchmarks.FailureDetectionTimer \
 *     [--stack tcp|udp] [--fault kill|stop|pause] [--victim member|coordinator]
 *     [--profile default|tight] [--rounds 8] [--warmup 1] [--members 3] [--pause 4s]
 *     [--set buddygrid.fd.timeout=5s ...]
 * </pre>
 *
 * <p>{@code pause} freezes the child for {@code --pause}, resumes it and reports in how many rounds
 * it was excluded anyway: a false suspicion of a live (merely paused) JVM.
 */
public final class FailureDetectionTimer {
  private static final String CHILD = "--child";
  private static final Duration VIEW_DEADLINE = Duration.ofSeconds(60);
  private static final Duration EXCLUSION_DEADLINE = Duration.ofSeconds(180);
  private static final Duration PAUSE_GRACE = Duration.ofSeconds(2);

  /** Shorter failure detection, to show what it buys and what it risks. */
  private static final Map<String, String> TIGHT =
      Map.of(
          "buddygrid.fd.timeout", "3s",
          "buddygrid.fd.interval", "500ms",
          "buddygrid.verify_suspect.timeout", "250ms");

  // Held so that the level set on it is not lost to garbage collection.
  private static final Logger JGROUPS_LOG = Logger.getLogger("org.jgroups");

  private final TimerOptions options;
  private final PrintStream out = System.out;
  private final LoopbackNet ports = new LoopbackNet();
  private final String cluster = "fd-timer-" + UUID.randomUUID();
  private final Map<String, String> common = new LinkedHashMap<>();
  private final List<Integer> parentPorts = new ArrayList<>();
  private final File childLog;
  private volatile Process currentChild;
  private boolean detectionPrinted;

  private FailureDetectionTimer(TimerOptions options) throws IOException {
    this.options = options;
    this.childLog = File.createTempFile("fd-timer-child-", ".log");
    common.put("buddygrid.bind_addr", LoopbackNet.LOOPBACK);
    if (options.stack().equals("udp")) {
      common.put("buddygrid.bind_port", "0");
      common.put("buddygrid.mcast_addr", LoopbackNet.randomMulticastAddress());
      common.put("buddygrid.mcast_port", Integer.toString(LoopbackNet.freeUdpPort()));
      common.put("buddygrid.ip_ttl", "0");
    } else {
      common.put("buddygrid.port_range", "0");
      for (int i = 0; i < options.members() - 1; i++) {
        parentPorts.add(ports.nextTcpPort());
      }
    }
    if (options.profile().equals("tight")) {
      common.putAll(TIGHT);
    }
    common.putAll(options.overrides());
  }

  public static void main(String[] args) throws Exception {
    JGROUPS_LOG.setLevel(Level.WARNING);
    if (args.length > 0 && args[0].equals(CHILD)) {
      runChild(args);
      return;
    }
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(TimerOptions.USAGE);
      return;
    }
    TimerOptions options;
    try {
      options = TimerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(TimerOptions.USAGE);
      System.exit(2);
      return;
    }
    new FailureDetectionTimer(options).run();
  }

  /** The child member: join, say so, then wait to be killed (or for the parent to go away). */
  private static void runChild(String[] args) throws Exception {
    JGroupsStack stack = Stacks.named(args[1]);
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      stack = stack.with(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    JChannel channel = stack.newChannel().name(args[3]);
    channel.connect(args[2]);
    System.out.println("READY " + channel.getAddress());
    System.out.flush();
    while (System.in.read() != -1) {
      // Nothing is ever sent; end of input means the parent is gone.
    }
    channel.close();
    System.exit(0);
  }

  private void run() throws Exception {
    out.printf(
        "FailureDetectionTimer: stack=%s fault=%s victim=%s members=%d rounds=%d (+%d warm-up)"
            + " profile=%s%n",
        options.stack(),
        options.fault(),
        options.victim(),
        options.members(),
        options.rounds(),
        options.warmup(),
        options.profile());
    out.printf(
        "  machine: %d CPUs, load average %.2f, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    out.printf("  values: %s%n", common);
    out.printf("  child JVM log (kept if the run fails): %s%n", childLog);
    // On Ctrl-C too: a child frozen by SIGSTOP would never notice that its stdin closed.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Process child = currentChild;
                  if (child != null) {
                    child.destroyForcibly();
                  }
                }));
    List<WatchingMember> parents = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    int excluded = 0;
    try {
      if (options.victim().equals("member")) {
        connectParents(parents, null);
      }
      for (int round = 1 - options.warmup(); round <= options.rounds(); round++) {
        Result result = round(round, parents);
        String label = round < 1 ? "warm-up" : "round " + round;
        out.printf("%-8s %s%n", label, result);
        if (round >= 1) {
          if (result.excludedWhilePaused) {
            excluded++;
          }
          if (result.lastMillis >= 0) {
            millis.add(result.lastMillis);
          }
        }
        if (options.victim().equals("coordinator")) {
          closeAll(parents);
        }
      }
    } finally {
      closeAll(parents);
    }
    summarize(millis, excluded);
    Files.deleteIfExists(childLog.toPath());
  }

  private Result round(int round, List<WatchingMember> parents) throws Exception {
    int childPort = options.stack().equals("tcp") ? ports.nextTcpPort() : 0;
    Process child = startChild("child-" + (round + options.warmup()), childPort);
    try {
      if (options.victim().equals("coordinator")) {
        awaitReady(child);
        connectParents(parents, childPort);
      }
      await(
          "a view of " + options.members(),
          VIEW_DEADLINE,
          () -> parents.stream().allMatch(m -> m.view().size() == options.members()),
          child);
      Address victim = victimAddress(parents);
      parents.forEach(m -> m.watch(victim));
      long start;
      boolean excludedWhilePaused = false;
      switch (options.fault()) {
        case "kill" -> {
          start = System.nanoTime();
          child.destroyForcibly(); // SIGKILL on Linux
        }
        case "stop" -> {
          signal(child, "STOP");
          start = System.nanoTime();
        }
        default -> { // pause
          signal(child, "STOP");
          start = System.nanoTime();
          waitFor(options.pause());
          signal(child, "CONT");
          waitFor(PAUSE_GRACE);
          excludedWhilePaused = parents.stream().anyMatch(WatchingMember::excluded);
          if (!excludedWhilePaused) {
            return new Result(-1, -1, false, options.pause());
          }
        }
      }
      await(
          "a view without the faulted member",
          EXCLUSION_DEADLINE,
          () -> parents.stream().allMatch(WatchingMember::excluded),
          null);
      long first =
          parents.stream().mapToLong(WatchingMember::excludedAt).min().orElseThrow() - start;
      long last =
          parents.stream().mapToLong(WatchingMember::excludedAt).max().orElseThrow() - start;
      return new Result(
          TimeUnit.NANOSECONDS.toMillis(first),
          TimeUnit.NANOSECONDS.toMillis(last),
          excludedWhilePaused,
          options.pause());
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      if (options.victim().equals("member")) {
        // Whatever happened, the next round starts from the in-process members alone.
        await(
            "the view without the child",
            EXCLUSION_DEADLINE,
            () -> parents.stream().allMatch(m -> m.view().size() == options.members() - 1),
            null);
      }
    }
  }

  private Address victimAddress(List<WatchingMember> parents) {
    View view = parents.get(0).view();
    List<Address> own = parents.stream().map(m -> m.channel.getAddress()).toList();
    return view.getMembers().stream().filter(a -> !own.contains(a)).findFirst().orElseThrow();
  }

  private void connectParents(List<WatchingMember> parents, Integer childPort) throws Exception {
    for (int i = 0; i < options.members() - 1; i++) {
      JGroupsStack stack = stack(i < parentPorts.size() ? parentPorts.get(i) : 0, childPort);
      WatchingMember member = new WatchingMember(stack.newChannel().name("parent-" + i));
      parents.add(member);
      member.channel.connect(cluster);
      if (i == 0) {
        printDetection(member.channel.getProtocolStack());
      }
    }
  }

  private void printDetection(ProtocolStack protocols) {
    if (detectionPrinted) {
      return;
    }
    detectionPrinted = true;
    FD_ALL3 fd = protocols.findProtocol(FD_ALL3.class);
    VERIFY_SUSPECT2 verify = protocols.findProtocol(VERIFY_SUSPECT2.class);
    out.printf(
        "  effective: FD_ALL3 timeout=%d ms interval=%d ms, VERIFY_SUSPECT2 timeout=%d ms%n",
        fd.getTimeout(), fd.getInterval(), verify.getTimeout());
  }

  /** The stack for one member: common values, its own port and the TCP host list. */
  private JGroupsStack stack(int bindPort, Integer childPort) {
    JGroupsStack stack = Stacks.named(options.stack());
    for (Map.Entry<String, String> e : common.entrySet()) {
      stack = stack.with(e.getKey(), e.getValue());
    }
    if (options.stack().equals("tcp")) {
      List<Integer> hosts = new ArrayList<>(parentPorts);
      if (childPort != null) {
        hosts.add(childPort);
      }
      stack =
          stack
              .withBindPort(bindPort)
              .withInitialHosts(
                  hosts.stream()
                      .map(p -> LoopbackNet.LOOPBACK + "[" + p + "]")
                      .collect(Collectors.joining(",")));
    }
    return stack;
  }

  private Process startChild(String name, int childPort) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-Djava.net.preferIPv4Stack=true",
            "-cp",
            System.getProperty("java.class.path"),
            FailureDetectionTimer.class.getName(),
            CHILD,
            options.stack(),
            cluster,
            name));
    stack(childPort, childPort).values().forEach((k, v) -> command.add(k + "=" + v));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(childLog));
    Process child = builder.start();
    currentChild = child;
    return child;
  }

  private static void awaitReady(Process child) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = reader.readLine();
    if (line == null || !line.startsWith("READY")) {
      throw new IllegalStateException("child JVM did not join: " + line);
    }
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** Polls {@code condition} every 2 ms until {@code deadline}; fails early if the child died. */
  private static void await(
      String what, Duration deadline, BooleanSupplier condition, Process child) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (child != null && !child.isAlive()) {
        throw new IllegalStateException("child JVM exited with " + child.exitValue());
      }
      if (System.nanoTime() > end) {
        throw new TimeoutException("no " + what + " within " + deadline);
      }
      waitFor(Duration.ofMillis(2));
    }
  }

  private static void waitFor(Duration duration) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(duration.toNanos());
  }

  private static void closeAll(List<WatchingMember> parents) {
    for (int i = parents.size() - 1; i >= 0; i--) {
      parents.get(i).channel.close();
    }
    parents.clear();
  }

  private void summarize(List<Long> millis, int excluded) {
    String label =
        options.stack() + " " + options.fault() + " " + options.victim() + " " + options.profile();
    if (options.fault().equals("pause")) {
      out.printf(
          "summary: %s: paused %d ms, excluded in %d of %d rounds%n",
          label, options.pause().toMillis(), excluded, options.rounds());
      return;
    }
    List<Long> sorted = millis.stream().sorted().toList();
    int n = sorted.size();
    long median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    out.printf(
        "summary: %s: median %d ms, min %d ms, max %d ms (n=%d)%n",
        label, median, sorted.get(0), sorted.get(n - 1), n);
  }

  private record Result(
      long firstMillis, long lastMillis, boolean excludedWhilePaused, Duration pause) {
    @Override
    public String toString() {
      if (lastMillis < 0) {
        return "paused " + pause.toMillis() + " ms: still a member";
      }
      return (excludedWhilePaused ? "paused " + pause.toMillis() + " ms: EXCLUDED; " : "")
          + "view without it after "
          + lastMillis
          + " ms (first survivor "
          + firstMillis
          + " ms)";
    }
  }
}
