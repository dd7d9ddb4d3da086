package org.buddygrid.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.JvmRouteBinderValve;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.BuddyGridInitializer;
import org.buddygrid.session.BuddyGridSessions;
import org.buddygrid.session.tomcat.BuddyGridManager;

/**
 * One node of the end-to-end harness ({@link EndToEndBench}), one JVM: an embedded Tomcat on
 * 127.0.0.1 serving the scenario endpoints under {@value #APP} with sessions in one {@link
 * BenchMode}, and its own figures under {@value #STATS}. Prints {@value #READY} on standard output
 * once it serves requests.
 *
 * <ul>
 *   <li>{@code /app/write}: the session holds 20 attributes of about 1 KB (written when it is new)
 *       and a counter {@code n}; each request sets {@code n} to {@code n + 1} (a 4-byte change) and
 *       answers it;
 *   <li>{@code /app/mixed?w=0|1}: the same session; {@code w=0} reads {@code n} and one 1 KB
 *       attribute, {@code w=1} writes as {@code /app/write};
 *   <li>{@code /app/create}: creates a session with two small attributes (a login);
 *   <li>{@code /stats[?gc=1]}: {@code key=value} lines: process CPU time, bytes this node put on
 *       the replication wire, heap used (after two full GCs with {@code gc=1}), sessions, members.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar org.buddygrid.benchmarks.BenchNode --mode sync --index 0 \
 *     --http-port 18080 --cluster-ports 17800,17810 --cluster e2e-1 --base-dir /tmp/e2e-node0
 * </pre>
 */
public final class BenchNode {
  static final String APP = "/app";
  static final String STATS = "/stats";
  static final String READY = "BENCH-NODE-READY";
  static final int ATTRIBUTES = 20;
  static final int ATTRIBUTE_CHARS = 1000;

  static final String USAGE =
      "usage: BenchNode --mode <mode> --index <i> --http-port <port> --cluster-ports <p0,p1,...>"
          + " --cluster <name> --base-dir <dir>\n  modes: "
          + BenchMode.labels(List.of(BenchMode.values()));

  private final BenchMode mode;
  private final int index;
  private final int httpPort;
  private final List<Integer> clusterPorts;
  private final String cluster;
  private final Path baseDir;
  private final Tomcat tomcat = new Tomcat();
  private Context app;
  private SimpleTcpCluster tribes;
  private WireCounter wire = WireCounter.NONE;

  BenchNode(ToolArgs a) {
    mode = BenchMode.named(a.string("--mode", "none"));
    index = a.integer("--index", 0, 0);
    httpPort = a.integer("--http-port", 0, 1);
    clusterPorts = a.integers("--cluster-ports", List.of(), 1);
    cluster = a.string("--cluster", "e2e");
    baseDir = Path.of(a.string("--base-dir", "target/e2e-node-" + index));
    a.done();
    if (httpPort == 0) {
      throw new IllegalArgumentException("--http-port is required (a free port on 127.0.0.1)");
    }
    if (mode.replicates() && index >= clusterPorts.size()) {
      throw new IllegalArgumentException(
          "--cluster-ports must list every node's cluster port, this node's at --index " + index);
    }
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
    BenchNode node;
    try {
      node = new BenchNode(ToolArgs.parse(args, USAGE));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    node.start();
    System.out.println(READY + " " + node.httpPort);
    System.out.flush();
    node.tomcat.getServer().await();
  }

  String route() {
    return "n" + index;
  }

  void start() throws Exception {
    Files.createDirectories(baseDir);
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(httpPort);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxKeepAliveRequests", "-1");
    connector.setProperty("keepAliveTimeout", String.valueOf(TimeUnit.HOURS.toMillis(1)));
    tomcat.setConnector(connector);
    tomcat.getServer().setPort(-1); // no shutdown port: the harness ends nodes by signal
    tomcat.getEngine().setJvmRoute(route());
    tomcat.getHost().setAutoDeploy(false);

    app = tomcat.addContext(APP, null);
    quiet(app);
    app.setDistributable(true); // Tomcat's cluster managers replicate distributable contexts only
    app.setSessionTimeout(30);
    Tomcat.addServlet(app, "scenario", new ScenarioServlet());
    app.addServletMappingDecoded("/*", "scenario");
    switch (mode.kind) {
      case NONE -> app.setManager(new StandardManager());
      case TRIBES -> installTribes();
      case BUDDYGRID -> installBuddyGrid();
    }

    Context stats = tomcat.addContext(STATS, null);
    quiet(stats);
    stats.setManager(new StandardManager());
    Tomcat.addServlet(stats, "stats", new StatsServlet());
    stats.addServletMappingDecoded("/*", "stats");

    tomcat.start();
    if (!app.getState().isAvailable()) {
      throw new IllegalStateException("the scenario application did not start: see the log above");
    }
    if (mode.kind == BenchMode.Kind.BUDDYGRID) {
      SessionGrid grid =
          grid().orElseThrow(() -> new IllegalStateException("BuddyGrid did not start"));
      wire = WireCounter.onJGroups(grid.node().channel());
    }
  }

  private static void quiet(Context context) {
    if (context instanceof StandardContext standard) {
      standard.setClearReferencesObjectStreamClassCaches(false);
      standard.setClearReferencesThreadLocals(false);
      standard.setClearReferencesRmiTargets(false);
    }
  }

  private void installBuddyGrid() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("buddygrid.route", route());
    s.put("buddygrid.cluster", cluster);
    s.put("buddygrid.stack", "tcp");
    s.put("buddygrid.timing", mode.timing);
    s.put("buddygrid.group-commit", Boolean.toString(mode.groupCommit));
    s.put("buddygrid.jmx", "false");
    s.put("buddygrid.bind_addr", "127.0.0.1");
    s.put("buddygrid.bind_port", Integer.toString(clusterPorts.get(index)));
    s.put("buddygrid.port_range", "0");
    List<String> hosts = new ArrayList<>();
    clusterPorts.forEach(p -> hosts.add("127.0.0.1[" + p + "]"));
    s.put("buddygrid.tcp.initial_hosts", String.join(",", hosts));
    if (mode.tomcatMode) {
      BuddyGridManager manager = new BuddyGridManager();
      s.forEach(manager::setProperty);
      app.setManager(manager);
    } else {
      s.forEach(app::addParameter);
      app.addParameter("buddygrid.enabled", "true");
      app.addServletContainerInitializer(new BuddyGridInitializer(), null);
    }
  }

  private Optional<SessionGrid> grid() {
    if (mode.tomcatMode) {
      return ((BuddyGridManager) app.getManager()).grid();
    }
    return BuddyGridSessions.grid(app.getServletContext());
  }

  /** Tomcat's cluster over Tribes with a static member list, as Tomcat's docs configure it. */
  private void installTribes() {
    SimpleTcpCluster c = new SimpleTcpCluster();
    GroupChannel channel = new GroupChannel();
    StaticMembershipService members = new StaticMembershipService();
    members.setLocalMember(member(index));
    for (int i = 0; i < clusterPorts.size(); i++) {
      if (i != index) {
        members.addStaticMember(member(i));
      }
    }
    channel.setMembershipService(members);
    NioReceiver receiver = new NioReceiver();
    receiver.setAddress("127.0.0.1");
    receiver.setPort(clusterPorts.get(index));
    receiver.setAutoBind(0);
    channel.setChannelReceiver(receiver);
    channel.addInterceptor(new TcpPingInterceptor());
    channel.addInterceptor(new TcpFailureDetector());
    channel.addInterceptor(new MessageDispatchInterceptor());
    // Last, so right above the transport: counts what every interceptor above sends.
    TribesWireCounter counter = new TribesWireCounter();
    channel.addInterceptor(counter);
    wire = counter;
    c.setChannel(channel);
    if (mode == BenchMode.BACKUP) {
      // Defaults: synchronous ack (SEND_OPTIONS_SYNCHRONIZED_ACK | USE_ACK), one backup.
      c.setManagerTemplate(new BackupManager());
    } else {
      DeltaManager m = new DeltaManager();
      m.setExpireSessionsOnShutdown(false);
      m.setNotifyListenersOnReplication(true);
      c.setManagerTemplate(m);
    }
    c.addValve(new ReplicationValve());
    c.addValve(new JvmRouteBinderValve());
    c.addClusterListener(new ClusterSessionListener());
    tomcat.getEngine().setCluster(c);
    tribes = c;
  }

  private StaticMember member(int i) {
    StaticMember m = new StaticMember();
    m.setHost("127.0.0.1");
    m.setPort(clusterPorts.get(i));
    m.setDomain(cluster);
    byte[] id = new byte[16];
    id[14] = (byte) (i >> 8);
    id[15] = (byte) (i + 1);
    m.setUniqueId(id);
    return m;
  }

  /** The scenario endpoints. */
  static final class ScenarioServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final AtomicLong logins = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String path = request.getPathInfo() == null ? "" : request.getPathInfo();
      long answer;
      switch (path) {
        case "/write" -> answer = write(request.getSession());
        case "/mixed" -> {
          HttpSession session = request.getSession();
          answer = "1".equals(request.getParameter("w")) ? write(session) : read(session);
        }
        case "/create" -> {
          HttpSession session = request.getSession();
          session.setAttribute("user", "user-" + logins.incrementAndGet());
          session.setAttribute("login", System.currentTimeMillis());
          answer = 0;
        }
        default -> {
          response.sendError(404, "use /app/write, /app/mixed?w=0|1 or /app/create");
          return;
        }
      }
      byte[] body = Long.toString(answer).getBytes(StandardCharsets.US_ASCII);
      response.setContentType("text/plain");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }

    /** Sets the counter to its value + 1 (the session's first request fills it instead). */
    private static long write(HttpSession session) {
      Integer n = (Integer) session.getAttribute("n");
      if (n == null) {
        fill(session);
        return 0;
      }
      session.setAttribute("n", n + 1);
      return n + 1;
    }

    private static long read(HttpSession session) {
      Integer n = (Integer) session.getAttribute("n");
      if (n == null) {
        fill(session);
        return 0;
      }
      String data = (String) session.getAttribute("d" + (n % ATTRIBUTES));
      return data == null ? -1 : n;
    }

    private static void fill(HttpSession session) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      char[] chars = new char[ATTRIBUTE_CHARS];
      for (int i = 0; i < ATTRIBUTES; i++) {
        for (int c = 0; c < chars.length; c++) {
          chars[c] = (char) ('a' + random.nextInt(26));
        }
        session.setAttribute("d" + i, new String(chars));
      }
      session.setAttribute("n", 0);
    }
  }

  /** This node's figures, as {@code key=value} lines. */
  final class StatsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if ("1".equals(request.getParameter("gc"))) {
        System.gc();
        System.gc();
      }
      OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("cpuNanos", os.getProcessCpuTime());
      s.put("wireBytes", wire.bytes());
      s.put("wireMessages", wire.messages());
      s.put("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      Manager manager = app.getManager();
      Optional<SessionGrid> grid =
          mode.kind == BenchMode.Kind.BUDDYGRID ? grid() : Optional.empty();
      s.put("sessions", grid.map(SessionGrid::ownedSessions).orElse(manager.getActiveSessions()));
      s.put("backups", grid.map(SessionGrid::backupCopies).orElse(0L));
      s.put(
          "members",
          switch (mode.kind) {
            case NONE -> 1;
            case TRIBES -> tribes.getMembers().length + 1;
            case BUDDYGRID -> grid.map(g -> g.node().view().size()).orElse(0);
          });
      StringBuilder body = new StringBuilder();
      s.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
      response.setContentType("text/plain");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }
}
