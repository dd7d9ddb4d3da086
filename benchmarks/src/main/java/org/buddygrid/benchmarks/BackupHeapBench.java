package org.buddygrid.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.BackupStoreProbe;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Heap per backup copy against its encoded size (issue 3, measurement 3). node1 creates {@code
 * --sessions} sessions of one shape ({@code large}: {@code --attributes} byte arrays of {@code
 * --value-bytes} each; {@code small}: three short attributes) with {@code SYNC} and one backup;
 * node2 holds every copy. The copies are measured with JOL ({@code GraphLayout}: every object
 * reachable from them, shared objects once): the copies alone, and the whole store entry (the
 * backup store's Caffeine map with its nodes and keys, minus an empty store's). A packed layout
 * (one byte array per copy) is built from the same bytes and measured the same way, as an estimate.
 * Cross-check: the used heap after full collections, before and after node2 drops every copy.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar org.buddygrid.benchmarks.BackupHeapBench \
 *     [--shape large|small] [--sessions 10000] [--attributes 20] [--value-bytes 1000]
 * </pre>
 */
public final class BackupHeapBench {
  static final String USAGE =
      "usage: BackupHeapBench [--shape large|small] [--sessions 10000] [--attributes 20]"
          + " [--value-bytes 1000] [--cluster buddygrid]";

  private final PrintStream out = System.out;
  private final String shape;
  private final int sessions;
  private final int attributes;
  private final int valueBytes;
  private final String cluster;

  private BackupHeapBench(ToolArgs a) {
    shape = a.oneOf("--shape", "large", "large", "small");
    sessions = a.integer("--sessions", 10_000, 1);
    attributes = a.integer("--attributes", 20, 1);
    valueBytes = a.integer("--value-bytes", 1000, 0);
    cluster = a.string("--cluster", "buddygrid");
    a.done();
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    // Unsafe refuses field offsets of records (Messages.Meta): JOL finds them by itself then.
    System.setProperty("jol.magicFieldOffset", "true");
    new BackupHeapBench(ToolArgs.parse(args, USAGE)).run();
  }

  /** A copy in one array: what the packed-layout estimate measures. */
  static final class PackedCopy {
    long epoch;
    long version;
    long creationTime;
    long lastAccessedTime;
    long lastHeardMillis;
    int maxInactiveSeconds;
    String owner; // shared: one String per route
    List<String> backups; // shared: one list per distinct backup list
    byte[] attributes; // count, then (name, value) pairs, varint lengths
  }

  private void run() throws Exception {
    out.printf(
        "BackupHeapBench: shape=%s sessions=%,d%s; stack=loopback nodes=2 timing=SYNC"
            + " backups=1%n",
        shape,
        sessions,
        shape.equals("large")
            ? String.format(" attributes=%d x %d B (byte[])", attributes, valueBytes)
            : " attributes: user (String ~22 chars), locale (\"en-GB\"), counter (Integer)");
    InJvmGrid.printMachine(out);
    VirtualMachine vm = VM.current();
    out.printf(
        "JOL: object header %d B, array header %d B, alignment %d B, compressed oops %s,"
            + " compressed class pointers %s%n",
        vm.objectHeaderSize(),
        vm.arrayHeaderSize(),
        vm.objectAlignment(),
        vmOption("UseCompressedOops"),
        vmOption("UseCompressedClassPointers"));
    try (InJvmGrid grid = new InJvmGrid("loopback", cluster, 2)) {
      SessionGrid owner = grid.start("node1", b -> b.timing(Timing.SYNC).backups(1));
      SessionGrid backup = grid.start("node2", b -> b.timing(Timing.SYNC).backups(1));
      grid.awaitView(2);
      long start = System.nanoTime();
      createSessions(owner);
      InJvmGrid.await(
          "node2 holding every copy",
          java.time.Duration.ofSeconds(60),
          () -> backup.backupCopies() == sessions);
      out.printf(
          "created %,d sessions in %,d ms; node2 holds %,d copies%n",
          sessions,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          backup.backupCopies());
      measureWithJol(backup);
      crossCheckWithGc(backup);
    }
  }

  private void createSessions(SessionGrid owner) {
    Random random = new Random(7);
    byte[][] values = new byte[attributes][];
    for (int i = 0; i < attributes; i++) {
      values[i] = new byte[valueBytes];
      random.nextBytes(values[i]);
    }
    for (int n = 0; n < sessions; n++) {
      GridSession s = owner.create();
      if (shape.equals("large")) {
        for (int i = 0; i < attributes; i++) {
          s.setAttribute(String.format("attribute-%02d", i), values[i]);
        }
      } else {
        s.setAttribute("user", String.format("user-%06d@example.com", n));
        s.setAttribute("locale", "en-GB");
        s.setAttribute("counter", n);
      }
      CommitResult r = s.commit();
      if (r != CommitResult.REPLICATED) {
        throw new IllegalStateException("session " + n + ": " + r);
      }
    }
  }

  private void measureWithJol(SessionGrid backup) {
    Map<String, BackupStoreProbe.Copy> copies = BackupStoreProbe.copies(backup);
    int n = copies.size();
    long encoded = 0;
    long valueBytesTotal = 0;
    long nameBytesTotal = 0;
    long attributeCount = 0;
    long weights = 0;
    List<Object> copyObjects = new ArrayList<>(n);
    List<Object> attributeMaps = new ArrayList<>(n);
    List<Object> values = new ArrayList<>();
    List<PackedCopy> packed = new ArrayList<>(n);
    Map<String, String> routes = new HashMap<>();
    Map<List<String>, List<String>> lists = new HashMap<>();
    long packedArrayBytes = 0;
    for (BackupStoreProbe.Copy c : copies.values()) {
      copyObjects.add(c.copy());
      attributeMaps.add(c.attributes());
      weights += c.weight();
      WireOutput w = new WireOutput();
      w.writeVarInt(c.attributes().size());
      for (Map.Entry<String, byte[]> a : c.attributes().entrySet()) {
        int nameLength = a.getKey().getBytes(StandardCharsets.UTF_8).length;
        nameBytesTotal += nameLength;
        valueBytesTotal += a.getValue().length;
        attributeCount++;
        values.add(a.getValue());
        w.writeString(a.getKey()).writeBytes(a.getValue());
      }
      PackedCopy p = new PackedCopy();
      p.epoch = c.epoch();
      p.version = c.version();
      p.lastHeardMillis = System.currentTimeMillis();
      p.owner = routes.computeIfAbsent(c.owner(), k -> k);
      p.backups = lists.computeIfAbsent(c.backups(), k -> k);
      p.attributes = w.toByteArray();
      packedArrayBytes += p.attributes.length;
      packed.add(p);
    }
    encoded = nameBytesTotal + valueBytesTotal;
    double perAttr = attributeCount / (double) n;

    GraphLayout copyGraph = GraphLayout.parseInstance(copyObjects.toArray());
    GraphLayout mapGraph = GraphLayout.parseInstance(attributeMaps.toArray());
    GraphLayout valueGraph = GraphLayout.parseInstance(values.toArray());
    GraphLayout packedGraph = GraphLayout.parseInstance(packed.toArray());

    Object cache = BackupStoreProbe.cache(backup);
    Object local = BackupStoreProbe.read(cache, "cache");
    Object data = BackupStoreProbe.read(local, "data");
    GraphLayout dataGraph = GraphLayout.parseInstance(data);
    Object emptyLocal = BackupStoreProbe.read(BackupStoreProbe.emptyCache(), "cache");
    GraphLayout emptyData = GraphLayout.parseInstance(BackupStoreProbe.read(emptyLocal, "data"));
    Object sketch = BackupStoreProbe.readByType(local, "FrequencySketch");
    Object emptySketch = BackupStoreProbe.readByType(emptyLocal, "FrequencySketch");
    long sketchBytes = sketch == null ? 0 : GraphLayout.parseInstance(sketch).totalSize();
    long emptySketchBytes =
        emptySketch == null ? 0 : GraphLayout.parseInstance(emptySketch).totalSize();

    double copyPer = copyGraph.totalSize() / (double) n;
    double mapPer = mapGraph.totalSize() / (double) n;
    double valuePer = valueGraph.totalSize() / (double) n;
    double storePer = (dataGraph.totalSize() - emptyData.totalSize()) / (double) n;
    double sketchPer = (sketchBytes - emptySketchBytes) / (double) n;
    double entryPer = storePer + sketchPer;
    double encodedPer = encoded / (double) n;
    double packedPer = packedGraph.totalSize() / (double) n;
    double storeOnlyPer = storePer - copyPer;

    out.printf("%nper session (mean over %,d copies on node2; JOL, exact)%n", n);
    out.printf("  attributes per session                          %10.1f%n", perAttr);
    out.printf(
        "  encoded size: names (UTF-8) + values              %10.1f B  (names %.1f B, values"
            + " %.1f B)%n",
        encodedPer, nameBytesTotal / (double) n, valueBytesTotal / (double) n);
    out.printf("  heap of the BackupCopy graph                     %10.1f B%n", copyPer);
    out.printf(
        "    of which the attribute map (HashMap, nodes, names, values) %.1f B, values (byte[])"
            + " %.1f B%n",
        mapPer, valuePer);
    out.printf(
        "  + store entry (Caffeine node, key String, CHM node and table) %.1f B%n", storeOnlyPer);
    out.printf("  + frequency sketch share                         %10.1f B%n", sketchPer);
    out.printf("  = heap per backed-up session                     %10.1f B%n", entryPer);
    out.printf(
        "  overhead over encoded: copy %.1f B (%.1f B per attribute), with the store entry"
            + " %.1f B%n",
        copyPer - encodedPer, (copyPer - encodedPer) / perAttr, entryPer - encodedPer);
    out.printf(
        "  target heap <= encoded + 100 B: %s (copy alone: %s)%n",
        entryPer <= encodedPer + 100 ? "MET" : "NOT MET",
        copyPer <= encodedPer + 100 ? "met" : "not met");
    out.printf(
        "  the store's own weight estimate (weigher, bounds max-backup-bytes) %10.1f B per copy"
            + " (JOL: %.1f B with the entry; estimate/actual %.2f)%n",
        weights / (double) n, entryPer, weights / (double) n / entryPer);
    out.printf(
        "  packed layout estimate (one object + one byte[] per copy, shared routes): %.1f B"
            + " (array content %.1f B), overhead %.1f B; with today's store entry %.1f B,"
            + " overhead %.1f B%n",
        packedPer,
        packedArrayBytes / (double) n,
        packedPer - encodedPer,
        packedPer + storeOnlyPer + sketchPer,
        packedPer + storeOnlyPer + sketchPer - encodedPer);

    printFootprint("BackupCopy graph, by class", copyGraph, null, n);
    printFootprint("store entry outside the copy, by class", dataGraph, copyGraph, n);
  }

  /** Bytes and objects per copy by class ({@code minus}: classes counted there are taken off). */
  private void printFootprint(String title, GraphLayout g, GraphLayout minus, int n) {
    Map<String, long[]> rows = new TreeMap<>();
    for (Class<?> c : g.getClasses()) {
      long count = g.getClassCounts().count(c);
      long size = g.getClassSizes().count(c);
      if (minus != null) {
        count -= minus.getClassCounts().count(c);
        size -= minus.getClassSizes().count(c);
      }
      if (count != 0 || size != 0) {
        rows.put(c.getName(), new long[] {count, size});
      }
    }
    out.printf("%n%s (per copy)%n  %10s %10s  %s%n", title, "objects", "bytes", "class");
    rows.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .forEach(
            e ->
                out.printf(
                    "  %10.2f %10.1f  %s%n",
                    e.getValue()[0] / (double) n, e.getValue()[1] / (double) n, e.getKey()));
  }

  private static String vmOption(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name)
          .getValue();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /** Used heap after full collections, with node2's copies and after it dropped them. */
  private void crossCheckWithGc(SessionGrid backup) throws InterruptedException {
    long with = usedAfterGc();
    long n = backup.backupCopies();
    BackupStoreProbe.dropAll(backup);
    long without = usedAfterGc();
    out.printf(
        "%ncross-check: used heap after System.gc() %,d B with the copies, %,d B after node2"
            + " dropped them: %.1f B per copy (store entry included but its key String, which"
            + " node2's location directory shares, and the map's table, which stays allocated)%n",
        with, without, (with - without) / (double) n);
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
