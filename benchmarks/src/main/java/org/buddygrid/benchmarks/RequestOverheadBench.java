package org.buddygrid.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.session.BuddyGridInitializer;

/**
 * Per-request overhead of BuddyGrid's session modes on a single node (no buddy, loopback stack)
 * against plain Tomcat sessions. One embedded Tomcat per configuration, all in this JVM, each on
 * 127.0.0.1 and a free port, serving {@code /app/counter}:
 *
 * <ul>
 *   <li>{@code plain}: Tomcat's {@code StandardManager} (no persistence);
 *   <li>{@code filter}: BuddyGrid filter mode, installed as a web application would (context
 *       parameters and {@code BuddyGridInitializer});
 *   <li>{@code tomcat}: BuddyGrid Tomcat mode ({@value TomcatModeProbe#MANAGER_CLASS}) if it is on
 *       the class path, found by reflection and configured like a {@code server.xml} {@code
 *       <Manager>}; reported "not available" otherwise.
 * </ul>
 *
 * <p>The servlet does a typical request: get the session, read a counter attribute, set it to
 * counter + 1, set a small string attribute, answer the counter (a few bytes, with a {@code
 * Content-Length}). The load generator is in this JVM: {@code --clients} threads, each a raw
 * HTTP/1.1 keep-alive connection with its own session cookie, in a closed loop (send, read the
 * whole response, send again). Every answer is checked: the counter must be the client's previous
 * one + 1, so a lost update or a lost session is counted as an error. Latency is recorded per
 * request in an HdrHistogram (from the first byte written to the last byte read).
 *
 * <p>Each configuration gets its clients (connections and sessions) and an unreported warm-up
 * first; then {@code --rounds} rounds measure each configuration for {@code --seconds}, the order
 * rotated every round, so slow drifts of the shared machine fall on every configuration alike. The
 * summary gives, per configuration, the median and [min-max] over the rounds of: requests per
 * second, latency percentiles, and the JVM's CPU time per request (server and client threads
 * together), and the ratio to {@code plain}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.buddygrid.benchmarks.RequestOverheadBench \
 *     [--quick] [--clients 16] [--rounds 5] [--seconds 10] [--warmup 10] \
 *     [--configs plain,filter,tomcat] [--tomcat-manager org.buddygrid.session.tomcat.BuddyGridManager]
 * </pre>
 */
public final class RequestOverheadBench {
  static final String USAGE =
      "usage: RequestOverheadBench [--quick] [--clients 16] [--rounds 5] [--seconds 10]"
          + " [--warmup 10] [--configs plain,filter,tomcat] [--tomcat-manager <class>]\n"
          + "  --quick: --rounds 3 --seconds 3 --warmup 3 (a smoke run of about half a minute);"
          + " options given as well override it\n"
          + "  --warmup: seconds of unreported load per configuration before the rounds\n"
          + "  --tomcat-manager: the Tomcat mode's manager class, looked up by reflection";

  static final String CONTEXT_PATH = "/app";
  static final String SERVLET_PATH = "/counter";

  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final PrintStream out;
  private final int clients;
  private final int rounds;
  private final int seconds;
  private final int warmupSeconds;
  private final List<String> configNames;
  private final String tomcatManager;

  RequestOverheadBench(ToolArgs a, PrintStream out) {
    this.out = out;
    boolean quick = a.flag("--quick");
    clients = a.integer("--clients", 16, 1);
    rounds = a.integer("--rounds", quick ? 3 : 5, 1);
    seconds = a.integer("--seconds", quick ? 3 : 10, 1);
    warmupSeconds = a.integer("--warmup", quick ? 3 : 10, 0);
    String configs = a.string("--configs", "plain,filter,tomcat");
    tomcatManager = a.string("--tomcat-manager", TomcatModeProbe.MANAGER_CLASS);
    a.done();
    configNames = new ArrayList<>();
    for (String c : configs.split(",")) {
      String name = c.trim();
      if (!List.of("plain", "filter", "tomcat").contains(name) || configNames.contains(name)) {
        throw new IllegalArgumentException(
            "--configs " + configs + ": each of plain, filter, tomcat at most once");
      }
      configNames.add(name);
    }
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
    RequestOverheadBench bench;
    try {
      bench = new RequestOverheadBench(ToolArgs.parse(args, USAGE, "--quick"), System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    bench.run();
  }

  // ------------------------------------------------------------------ servers

  /** The application's one servlet: a typical session-using request. */
  static final class CounterServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      HttpSession session = request.getSession();
      Integer count = (Integer) session.getAttribute("count");
      int next = count == null ? 1 : count + 1;
      session.setAttribute("count", next);
      session.setAttribute("last", "visit-" + next);
      byte[] body = Integer.toString(next).getBytes(StandardCharsets.US_ASCII);
      response.setContentType("text/plain");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  /** One configuration's server, started. */
  static final class Server implements AutoCloseable {
    final String name;
    final String description;
    private final Tomcat tomcat;
    private final Path baseDir;
    final int port;

    private Server(String name, String description, Tomcat tomcat, Path baseDir, int port) {
      this.name = name;
      this.description = description;
      this.tomcat = tomcat;
      this.baseDir = baseDir;
      this.port = port;
    }

    @Override
    public void close() throws LifecycleException, IOException {
      try {
        tomcat.stop();
        tomcat.destroy();
      } finally {
        try (Stream<Path> files = Files.walk(baseDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** What a configuration does to the context before the server starts; returns a description. */
  private interface Setup {
    String apply(Tomcat tomcat, Context context) throws Exception;
  }

  /**
   * Starts the configuration {@code name}, or returns empty with the reason in {@code why} (Tomcat
   * mode when its manager is not on the class path).
   */
  Optional<Server> start(String name, List<String> why) throws Exception {
    String route = "node1";
    String cluster = "overhead-" + name + "-" + UUID.randomUUID();
    Setup setup;
    switch (name) {
      case "plain" ->
          setup =
              (tomcat, context) -> {
                context.setManager(new StandardManager()); // pathname null: no persistence
                return "StandardManager (Tomcat's default), no persistence";
              };
      case "filter" ->
          setup =
              (tomcat, context) -> {
                Map<String, String> p = buddyGridSettings(route, cluster);
                p.put("buddygrid.enabled", "true");
                p.forEach(context::addParameter);
                context.addServletContainerInitializer(new BuddyGridInitializer(), null);
                return "BuddyGrid filter mode, " + p;
              };
      case "tomcat" -> {
        Optional<Class<? extends Manager>> type =
            TomcatModeProbe.find(tomcatManager, RequestOverheadBench.class.getClassLoader(), why);
        if (type.isEmpty()) {
          return Optional.empty();
        }
        setup =
            (tomcat, context) -> {
              tomcat.getEngine().setJvmRoute(route);
              Map<String, String> p = buddyGridSettings(route, cluster);
              // Also as context parameters, in case the manager reads them as filter mode does.
              p.forEach(context::addParameter);
              Map<String, String> properties = new LinkedHashMap<>();
              p.forEach((k, v) -> properties.put(k.substring("buddygrid.".length()), v));
              List<String> applied = new ArrayList<>();
              Manager manager = TomcatModeProbe.instantiate(type.get(), properties, applied);
              context.setManager(manager);
              return "BuddyGrid Tomcat mode ("
                  + type.get().getName()
                  + "), jvmRoute "
                  + route
                  + ", manager properties set: "
                  + (applied.isEmpty() ? "none" : applied)
                  + ", context parameters "
                  + p;
            };
      }
      default -> throw new IllegalArgumentException(name);
    }
    return Optional.of(startTomcat(name, setup));
  }

  /** The grid settings of both BuddyGrid modes: one node, loopback, no JMX, JDK types only. */
  private static Map<String, String> buddyGridSettings(String route, String cluster) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("buddygrid.route", route);
    p.put("buddygrid.cluster", cluster);
    p.put("buddygrid.stack", "loopback");
    p.put("buddygrid.jmx", "false");
    return p;
  }

  private static Server startTomcat(String name, Setup setup) throws Exception {
    Path baseDir = Files.createTempDirectory("buddygrid-overhead-" + name);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.getEngine().setName("overhead-" + name + "-" + UUID.randomUUID());
    Connector connector = tomcat.getConnector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    // Connections live through the whole run: no cap on requests per connection, and idle for as
    // long as the other configurations' rounds take.
    connector.setProperty("maxKeepAliveRequests", "-1");
    connector.setProperty("keepAliveTimeout", String.valueOf(TimeUnit.HOURS.toMillis(1)));
    Context context = tomcat.addContext(CONTEXT_PATH, null);
    context.setSessionTimeout(30);
    if (context instanceof StandardContext standard) {
      // The application is this tool's own classes: nothing to clear on stop, and the leak
      // protection would only warn that it needs --add-opens.
      standard.setClearReferencesObjectStreamClassCaches(false);
      standard.setClearReferencesThreadLocals(false);
      standard.setClearReferencesRmiTargets(false);
    }
    Tomcat.addServlet(context, "counter", new CounterServlet());
    context.addServletMappingDecoded(SERVLET_PATH, "counter");
    String description;
    try {
      description = setup.apply(tomcat, context);
      tomcat.start();
    } catch (Exception e) {
      tomcat.destroy();
      throw e;
    }
    return new Server(name, description, tomcat, baseDir, connector.getLocalPort());
  }

  // ------------------------------------------------------------------ load generator

  /**
   * One simulated browser: a raw HTTP/1.1 keep-alive connection and its session cookie. Not
   * thread-safe: one thread drives it.
   */
  static final class Client implements AutoCloseable {
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream os;
    private byte[] request;
    private String cookie;
    private long counter;
    long errors;
    long reconnects;

    Client(int port) {
      this.port = port;
    }

    private void connect() throws IOException {
      closeSocket();
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      in = new BufferedInputStream(socket.getInputStream(), 4096);
      os = socket.getOutputStream();
    }

    private byte[] request() {
      if (request == null) {
        String r =
            "GET "
                + CONTEXT_PATH
                + SERVLET_PATH
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\n"
                + (cookie == null ? "" : "Cookie: JSESSIONID=" + cookie + "\r\n")
                + "\r\n";
        request = r.getBytes(StandardCharsets.US_ASCII);
      }
      return request;
    }

    /** Sends one request and reads its whole response; checks the counter. */
    void call() throws IOException {
      if (socket == null) {
        connect();
      }
      os.write(request());
      os.flush();
      HttpAnswer answer = HttpAnswer.read(in, line);
      String v = answer.sessionCookie();
      if (v != null && !v.equals(cookie)) {
        if (cookie != null) {
          errors++; // the session changed under the client: lost
        }
        cookie = v.isEmpty() ? null : v;
        request = null;
      }
      if (answer.value() != counter + 1) {
        errors++;
      }
      counter = answer.value();
      boolean close = answer.close();
      if (close) {
        reconnects++;
        closeSocket();
      }
    }

    private final StringBuilder line = new StringBuilder(64);

    private void closeSocket() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }

    @Override
    public void close() throws IOException {
      closeSocket();
    }
  }

  /** One measured window of one configuration. */
  record Window(
      String config,
      int round,
      long requests,
      long errors,
      long nanos,
      Histogram latency,
      long cpuNanos,
      long serverAllocatedBytes,
      long gcCount,
      long gcMillis,
      String loadBefore,
      String loadAfter) {
    double perSecond() {
      return requests * 1e9 / nanos;
    }

    double micros(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** JVM CPU time (all threads: server, grid and clients) per request, in microseconds. */
    double cpuMicrosPerRequest() {
      return requests == 0 ? Double.NaN : cpuNanos / 1000.0 / requests;
    }

    /** Bytes allocated per request by every thread but the clients (server, grid). */
    double allocatedBytesPerRequest() {
      return requests == 0 || serverAllocatedBytes < 0
          ? Double.NaN
          : (double) serverAllocatedBytes / requests;
    }
  }

  /** Drives {@code clients} against a server for {@code seconds}: one thread per client. */
  static Window drive(String config, int round, List<Client> clients, long nanos) throws Exception {
    int n = clients.size();
    Histogram[] histograms = new Histogram[n];
    long[] counts = new long[n];
    long[] errorsBefore = new long[n];
    Throwable[] failures = new Throwable[n];
    for (int i = 0; i < n; i++) {
      histograms[i] = new Histogram(HIGHEST_NANOS, 3);
      errorsBefore[i] = clients.get(i).errors;
    }
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong deadline = new AtomicLong();
    AtomicLong lastDone = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      Thread t =
          new Thread(
              () -> {
                Client c = clients.get(k);
                Histogram h = histograms[k];
                long done = 0;
                long finished = 0;
                try {
                  ready.countDown();
                  go.await();
                  long end = deadline.get();
                  long now = System.nanoTime();
                  while (now < end) {
                    c.call();
                    long after = System.nanoTime();
                    h.recordValue(Math.min(after - now, HIGHEST_NANOS));
                    done++;
                    finished = after;
                    now = after;
                  }
                } catch (Throwable e) {
                  failures[k] = e;
                }
                counts[k] = done;
                lastDone.accumulateAndGet(finished, Math::max);
              },
              config + "-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    ready.await();
    String loadBefore = InJvmGrid.loadAverage();
    long[] gcBefore = InJvmGrid.gcCountAndMillis();
    Map<Long, Long> allocatedBefore = allocatedByThread();
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    deadline.set(start + nanos);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long cpu = processCpuNanos() - cpuBefore;
    // The clients' threads have ended: only the server's and the grid's allocations are counted.
    long allocated = 0;
    Map<Long, Long> allocatedAfter = allocatedByThread();
    if (allocatedAfter.isEmpty()) {
      allocated = -1;
    }
    for (Map.Entry<Long, Long> e : allocatedAfter.entrySet()) {
      allocated += e.getValue() - allocatedBefore.getOrDefault(e.getKey(), 0L);
    }
    long[] gcAfter = InJvmGrid.gcCountAndMillis();
    for (int i = 0; i < n; i++) {
      if (failures[i] != null) {
        throw new IllegalStateException(
            config + " client " + i + " failed: " + failures[i], failures[i]);
      }
    }
    Histogram all = new Histogram(HIGHEST_NANOS, 3);
    long requests = 0;
    long errors = 0;
    for (int i = 0; i < n; i++) {
      all.add(histograms[i]);
      requests += counts[i];
      errors += clients.get(i).errors - errorsBefore[i];
    }
    long elapsed = Math.max(lastDone.get(), start + nanos) - start;
    return new Window(
        config,
        round,
        requests,
        errors,
        elapsed,
        all,
        cpu,
        allocated,
        gcAfter[0] - gcBefore[0],
        gcAfter[1] - gcBefore[1],
        loadBefore,
        InJvmGrid.loadAverage());
  }

  /** Bytes allocated so far by each live thread; empty if the JVM does not tell. */
  private static Map<Long, Long> allocatedByThread() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
      return Map.of();
    }
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> out = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        out.put(ids[i], bytes[i]);
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  // ------------------------------------------------------------------ the run

  /** What a run measured: the windows, and the configurations that could not run, with why. */
  record Report(List<Window> windows, Map<String, String> unavailable) {}

  Report run() throws Exception {
    out.printf(
        "RequestOverheadBench: single node, no buddy (loopback stack), configurations %s;"
            + " %d clients (keep-alive, one session each); %d round(s) x %d s per configuration,"
            + " order rotated per round; warm-up %d s per configuration%n",
        configNames, clients, rounds, seconds, warmupSeconds);
    InJvmGrid.printMachine(out);
    Map<String, Server> servers = new LinkedHashMap<>();
    Map<String, List<Client>> clientsOf = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    List<Window> windows = new ArrayList<>();
    try {
      for (String name : configNames) {
        List<String> why = new ArrayList<>();
        Optional<Server> server = start(name, why);
        if (server.isEmpty()) {
          unavailable.put(name, "not available: " + String.join("; ", why));
          out.printf("%-7s %s%n", name, unavailable.get(name));
          continue;
        }
        servers.put(name, server.get());
        out.printf("%-7s port %d: %s%n", name, server.get().port, server.get().description);
        List<Client> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          Client c = new Client(server.get().port);
          c.call(); // creates the session
          cs.add(c);
        }
        clientsOf.put(name, cs);
      }
      List<String> running = new ArrayList<>(servers.keySet());
      if (warmupSeconds > 0) {
        for (String name : running) {
          Window w = drive(name, 0, clientsOf.get(name), TimeUnit.SECONDS.toNanos(warmupSeconds));
          out.printf("warm-up %s%n", line(w));
        }
      }
      for (int r = 1; r <= rounds; r++) {
        for (int k = 0; k < running.size(); k++) {
          String name = running.get((k + r - 1) % running.size());
          Window w = drive(name, r, clientsOf.get(name), TimeUnit.SECONDS.toNanos(seconds));
          windows.add(w);
          out.printf("round %d %s%n", r, line(w));
        }
      }
    } finally {
      for (List<Client> cs : clientsOf.values()) {
        for (Client c : cs) {
          c.close();
        }
      }
      for (Server s : servers.values()) {
        try {
          s.close();
        } catch (Exception e) {
          out.printf("stopping %s: %s%n", s.name, e);
        }
      }
    }
    summary(windows, unavailable);
    return new Report(windows, unavailable);
  }

  private static String line(Window w) {
    return String.format(
        Locale.ROOT,
        "%-7s %,9.0f req/s  p50 %7.1f us  p90 %7.1f  p99 %8.1f  p99.9 %8.1f  max %9.1f  cpu"
            + " %6.1f us/req  alloc %6.0f B/req  errors %d  gc %d (%d ms)  load %s -> %s",
        w.config(),
        w.perSecond(),
        w.micros(50),
        w.micros(90),
        w.micros(99),
        w.micros(99.9),
        w.latency().getMaxValue() / 1000.0,
        w.cpuMicrosPerRequest(),
        w.allocatedBytesPerRequest(),
        w.errors(),
        w.gcCount(),
        w.gcMillis(),
        w.loadBefore(),
        w.loadAfter());
  }

  private void summary(List<Window> windows, Map<String, String> unavailable) {
    out.println();
    out.println(
        "summary: median [min-max] over rounds; latency in us; cpu = JVM CPU time per request"
            + " (server, grid and client threads); alloc = bytes allocated per request by the"
            + " server's and the grid's threads");
    out.println(
        "| config | req/s | p50 | p90 | p99 | p99.9 | cpu us/req | alloc B/req | errors |"
            + " req/s vs plain | p50 vs plain | cpu vs plain |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Map<String, List<Window>> byConfig = new LinkedHashMap<>();
    for (String name : configNames) {
      byConfig.put(name, new ArrayList<>());
    }
    windows.forEach(w -> byConfig.get(w.config()).add(w));
    List<Window> plain = byConfig.getOrDefault("plain", List.of());
    for (Map.Entry<String, List<Window>> e : byConfig.entrySet()) {
      List<Window> ws = e.getValue();
      if (ws.isEmpty()) {
        out.printf(
            "| %s | %s | | | | | | | | | | |%n",
            e.getKey(), unavailable.getOrDefault(e.getKey(), "no rounds"));
        continue;
      }
      long errors = ws.stream().mapToLong(Window::errors).sum();
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %s |%n",
          e.getKey(),
          stat(ws, Window::perSecond, "%,.0f"),
          stat(ws, w -> w.micros(50), "%.1f"),
          stat(ws, w -> w.micros(90), "%.1f"),
          stat(ws, w -> w.micros(99), "%.1f"),
          stat(ws, w -> w.micros(99.9), "%.1f"),
          stat(ws, Window::cpuMicrosPerRequest, "%.1f"),
          stat(ws, Window::allocatedBytesPerRequest, "%,.0f"),
          errors,
          plain.isEmpty() ? "" : ratio(ws, plain, Window::perSecond),
          plain.isEmpty() ? "" : ratio(ws, plain, w -> w.micros(50)),
          plain.isEmpty() ? "" : ratio(ws, plain, Window::cpuMicrosPerRequest));
    }
    if (!plain.isEmpty()) {
      double plainCpu = median(plain, Window::cpuMicrosPerRequest);
      double plainAlloc = median(plain, Window::allocatedBytesPerRequest);
      for (Map.Entry<String, List<Window>> e : byConfig.entrySet()) {
        if (!e.getKey().equals("plain") && !e.getValue().isEmpty()) {
          out.printf(
              Locale.ROOT,
              "%s costs %.1f us of CPU and %,.0f bytes of allocation per request more than plain"
                  + " (medians of rounds)%n",
              e.getKey(),
              median(e.getValue(), Window::cpuMicrosPerRequest) - plainCpu,
              median(e.getValue(), Window::allocatedBytesPerRequest) - plainAlloc);
        }
      }
    }
  }

  /** Median [min-max] of a figure over windows. */
  static String stat(List<Window> ws, ToDoubleFunction<Window> f, String format) {
    double[] v = ws.stream().mapToDouble(f).sorted().toArray();
    return String.format(Locale.ROOT, format, median(v))
        + " ["
        + String.format(Locale.ROOT, format, v[0])
        + "-"
        + String.format(Locale.ROOT, format, v[v.length - 1])
        + "]";
  }

  /** The ratio of medians, and [min-max] of the per-round ratios (rounds paired by number). */
  static String ratio(List<Window> ws, List<Window> plain, ToDoubleFunction<Window> f) {
    double m = median(ws, f) / median(plain, f);
    List<Double> perRound = new ArrayList<>();
    for (Window w : ws) {
      plain.stream()
          .filter(p -> p.round() == w.round())
          .findFirst()
          .ifPresent(p -> perRound.add(f.applyAsDouble(w) / f.applyAsDouble(p)));
    }
    double[] r = perRound.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return r.length == 0
        ? String.format(Locale.ROOT, "%.2fx", m)
        : String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", m, r[0], r[r.length - 1]);
  }

  static double median(List<Window> ws, ToDoubleFunction<Window> f) {
    return median(ws.stream().mapToDouble(f).sorted().toArray());
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
