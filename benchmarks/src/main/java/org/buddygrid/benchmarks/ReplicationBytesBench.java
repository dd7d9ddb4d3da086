package org.buddygrid.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.attribute.AttributeCodec;
import org.buddygrid.core.attribute.ClassPolicy;
import org.buddygrid.core.attribute.CodecLimits;
import org.buddygrid.core.internal.CoreMessages;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.Messages;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.jgroups.protocols.MsgStats;

/**
 * Bytes on the wire per update (issue 3, measurement 1): two nodes, {@code SYNC}, one backup; one
 * session of {@code --attributes} attributes of {@code --value-bytes} random bytes each, then
 * {@code --updates} requests that each open the session on its owner, change one {@code Integer}
 * counter and commit. Everything both nodes' transports send during the measured loop is counted by
 * a {@link WireTap} above the transport (exact serialised frames, JGroups headers included) and
 * broken down by message kind and by header; the codec's frames (BuddyGrid's {@code bytes.sent}
 * metric), JGroups' own {@code MsgStats} (payload only) and, on Linux, the bytes this process wrote
 * to sockets ({@code /proc/self/io} wchar; tcp only) are shown beside it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.buddygrid.benchmarks.ReplicationBytesBench \
 *     [--stack loopback|tcp] [--updates 10000] [--warmup 2000] [--attributes 20] \
 *     [--value-bytes 1000] [--threads 1] [--cluster buddygrid]
 * </pre>
 *
 * <p>With {@code --threads N}, N sessions are updated by N threads at once (the updates split
 * evenly): the tcp transport may then bundle messages queued for one destination into one frame,
 * which the tap (one frame per message) overcounts; wchar is then the figure to read.
 */
public final class ReplicationBytesBench {
  static final String USAGE =
      "usage: ReplicationBytesBench [--stack loopback|tcp] [--updates 10000] [--warmup 2000]"
          + " [--attributes 20] [--value-bytes 1000] [--threads 1] [--cluster buddygrid]";

  /** After the loop, how long trailing acknowledgements (UNICAST3 acks are timed) may take. */
  private static final long SETTLE_MILLIS = 1000;

  private static final String COUNTER = "counter";

  private final PrintStream out = System.out;
  private final String stack;
  private final int updates;
  private final int warmup;
  private final int attributes;
  private final int valueBytes;
  private final int threads;
  private final String cluster;

  private ReplicationBytesBench(ToolArgs a) {
    stack = a.oneOf("--stack", "loopback", "loopback", "tcp");
    updates = a.integer("--updates", 10_000, 1);
    warmup = a.integer("--warmup", 2_000, 0);
    attributes = a.integer("--attributes", 20, 0);
    valueBytes = a.integer("--value-bytes", 1000, 0);
    threads = a.integer("--threads", 1, 1);
    cluster = a.string("--cluster", "buddygrid");
    a.done();
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    new ReplicationBytesBench(ToolArgs.parse(args, USAGE)).run();
  }

  private void run() throws Exception {
    out.printf(
        "ReplicationBytesBench: stack=%s nodes=2 timing=SYNC backups=1 session=%d x %d B +"
            + " Integer counter; updates=%d (+%d warm-up) by %d thread(s), cluster name \"%s\"%n",
        stack, attributes, valueBytes, updates, warmup, threads, cluster);
    InJvmGrid.printMachine(out);
    try (InJvmGrid grid = new InJvmGrid(stack, cluster, 2)) {
      SessionGrid owner = grid.start("node1", b -> b.timing(Timing.SYNC).backups(1));
      SessionGrid backup = grid.start("node2", b -> b.timing(Timing.SYNC).backups(1));
      grid.awaitView(2);

      Map<Integer, String> types = new LinkedHashMap<>();
      types.putAll(
          WireTap.wireTypes(
              CoreMessages.catalog(),
              CoreMessages.Hello.class,
              CoreMessages.ErrorReply.class,
              CoreMessages.NullReply.class));
      types.putAll(WireTap.wireTypes(ReplicationCatalog.catalog(), messageTypes()));
      int prefix = stack.equals("tcp") ? 4 : 0;
      WireTap ownerTap = WireTap.install(owner.node().channel(), prefix, types);
      WireTap backupTap = WireTap.install(backup.node().channel(), prefix, types);
      MsgStats ownerStats = msgStats(owner);
      MsgStats backupStats = msgStats(backup);

      List<String> ids = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ids.add(createSession(owner));
      }
      String id = ids.get(0);
      InJvmGrid.await(
          "the backup copies",
          java.time.Duration.ofSeconds(10),
          () -> backup.backupCopies() == threads);

      int[] counters = new int[threads];
      runUpdates(owner, ids, counters, warmup);
      owner.flush();
      backup.flush();
      TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);

      ownerStats.reset();
      backupStats.reset();
      long ownerFramesBefore = owner.metrics().count("bytes.sent");
      long backupFramesBefore = backup.metrics().count("bytes.sent");
      long ownerRequestsBefore = owner.metrics().count("requests.sent");
      long wcharBefore = wchar();
      ownerTap.startCounting();
      backupTap.startCounting();
      long start = System.nanoTime();
      runUpdates(owner, ids, counters, updates);
      long loopNanos = System.nanoTime() - start;
      // The touch batch of these requests, which would otherwise go at the next touch interval.
      owner.flush();
      TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
      ownerTap.stopCounting();
      backupTap.stopCounting();
      long wcharDelta = wchar() - wcharBefore;
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      out.printf(
          "%nmeasured: %,d updates in %,d ms (%.1f us per update, SYNC round trip included);"
              + " counted for %,d ms (loop + flush + %d ms settle); load average %s%n",
          updates,
          TimeUnit.NANOSECONDS.toMillis(loopNanos),
          loopNanos / 1000.0 / updates,
          elapsedMillis,
          SETTLE_MILLIS,
          InJvmGrid.loadAverage());

      Map<String, WireTap.Tally> sent = ownerTap.tallies();
      Map<String, WireTap.Tally> acks = backupTap.tallies();
      printDirection("owner -> backup (everything node1 sent)", sent);
      printDirection("backup -> owner (everything node2 sent)", acks);

      WireTap.Tally ownerAll = sum(sent, k -> true);
      WireTap.Tally backupAll = sum(acks, k -> true);
      WireTap.Tally ownerRepl = sum(sent, ReplicationBytesBench::perUpdate);
      WireTap.Tally backupRepl = sum(acks, ReplicationBytesBench::perUpdate);
      out.printf("%nper update (/ %,d updates)%n", updates);
      out.printf(
          "  %-44s %10s %10s %10s %10s%n", "", "B owner>bk", "B bk>owner", "B total", "msgs");
      row("replication traffic (BuddyGrid + UNICAST3)", ownerRepl, backupRepl);
      row("everything sent (incl. heartbeats etc.)", ownerAll, backupAll);
      out.printf(
          "  target <= 120 B per update (replication traffic): %s%n",
          (ownerRepl.frameBytes + backupRepl.frameBytes) / (double) updates <= 120
              ? "MET"
              : "NOT MET");

      long ownerCodec = owner.metrics().count("bytes.sent") - ownerFramesBefore;
      long backupCodec = backup.metrics().count("bytes.sent") - backupFramesBefore;
      out.printf(
          "%ncross-checks%n"
              + "  BuddyGrid codec frames (metric bytes.sent): owner %.1f B/update, backup %.1f"
              + " B/update (%,d requests sent by the owner)%n",
          ownerCodec / (double) updates,
          backupCodec / (double) updates,
          owner.metrics().count("requests.sent") - ownerRequestsBefore);
      out.printf(
          "  JGroups TP MsgStats (payload only, enabled for this run): owner %,d msgs %.1f"
              + " B/update, backup %,d msgs %.1f B/update%n",
          ownerStats.getNumMsgsSent(),
          ownerStats.getNumBytesSent() / (double) updates,
          backupStats.getNumMsgsSent(),
          backupStats.getNumBytesSent() / (double) updates);
      long tapped = ownerAll.frameBytes + backupAll.frameBytes;
      out.printf(
          "  bytes this JVM wrote (/proc/self/io wchar): %s; tap total %,d B in %,d frames%s%n",
          wcharDelta < 0 ? "n/a" : String.format("%,d B", wcharDelta),
          tapped,
          ownerTap.frames() + backupTap.frames(),
          stack.equals("tcp") && wcharDelta >= 0
              ? String.format(" (wchar - tap = %+,d B)", wcharDelta - tapped)
              : " (loopback: no socket writes expected)");
      if (stack.equals("tcp") && wcharDelta >= 0) {
        out.printf(
            "  tcp, as written to the sockets (wchar, both directions): %.1f B per update%s%n",
            wcharDelta / (double) updates,
            wcharDelta < tapped * 0.99
                ? " (less than the tap: the bundler put several messages in one frame)"
                : "");
      }

      printFrames(id, counters[0], owner, backup);
    }
  }

  /** Traffic caused by updates (as opposed to failure detection, stability, merge, discovery). */
  private static boolean perUpdate(String kind) {
    return !kind.startsWith("FD_ALL3")
        && !kind.startsWith("STABLE")
        && !kind.startsWith("MERGE3")
        && !kind.contains("PING")
        && !kind.equals("transport only");
  }

  private static Class<?>[] messageTypes() {
    return new Class<?>[] {
      Messages.Replicate.class,
      Messages.Applied.class,
      Messages.NeedFull.class,
      Messages.Stale.class,
      Messages.Touch.class,
      Messages.Locations.class,
      Messages.WhoHas.class,
      Messages.Holding.class,
      Messages.NotHeld.class,
      Messages.Take.class,
      Messages.Granted.class,
      Messages.Moved.class,
      Messages.NotFound.class,
      Messages.Invalidate.class,
      Messages.Rename.class
    };
  }

  private String createSession(SessionGrid owner) {
    Random random = new Random(42);
    GridSession s = owner.create();
    for (int i = 0; i < attributes; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      s.setAttribute(String.format("attribute-%02d", i), value);
    }
    s.setAttribute(COUNTER, 0);
    require(s.commit(), "the first commit");
    return s.id();
  }

  /** {@code total} updates split over one thread per session; {@code counters} carry on. */
  private static void runUpdates(SessionGrid owner, List<String> ids, int[] counters, int total)
      throws Exception {
    int n = ids.size();
    if (n == 1) {
      for (int i = 0; i < total; i++) {
        update(owner, ids.get(0), ++counters[0]);
      }
      return;
    }
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < n; t++) {
      int me = t;
      int mine = total / n + (t < total % n ? 1 : 0);
      Thread w =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < mine; i++) {
                    update(owner, ids.get(me), ++counters[me]);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "update-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("an update failed", failures.get(0));
    }
  }

  private static void update(SessionGrid grid, String id, int counter) {
    GridSession s = grid.open(id).orElseThrow(() -> new IllegalStateException("lost " + id));
    s.setAttribute(COUNTER, counter);
    require(s.commit(), "update " + counter);
  }

  private static void require(CommitResult r, String what) {
    if (r != CommitResult.REPLICATED) {
      throw new IllegalStateException(what + " was " + r + ", not REPLICATED");
    }
  }

  private static MsgStats msgStats(SessionGrid g) {
    MsgStats stats = g.node().channel().getProtocolStack().getTransport().getMessageStats();
    stats.enable(true);
    return stats;
  }

  /** Bytes written by this process so far (Linux), or -1. */
  private static long wchar() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (Exception e) {
      // not Linux, or not readable
    }
    return -1;
  }

  private static WireTap.Tally sum(
      Map<String, WireTap.Tally> tallies, java.util.function.Predicate<String> which) {
    WireTap.Tally t = new WireTap.Tally();
    tallies.forEach(
        (k, v) -> {
          if (which.test(k)) {
            t.add(v);
          }
        });
    return t;
  }

  private void row(String label, WireTap.Tally a, WireTap.Tally b) {
    out.printf(
        "  %-44s %10.1f %10.1f %10.1f %10.2f%n",
        label,
        a.frameBytes / (double) updates,
        b.frameBytes / (double) updates,
        (a.frameBytes + b.frameBytes) / (double) updates,
        (a.messages + b.messages) / (double) updates);
  }

  private void printDirection(String title, Map<String, WireTap.Tally> tallies) {
    TreeSet<String> headers = new TreeSet<>();
    tallies.values().forEach(t -> headers.addAll(t.headerBytes.keySet()));
    out.printf("%n%s%n", title);
    StringBuilder head =
        new StringBuilder(
            String.format(
                "  %-30s %8s %9s %9s %8s %8s",
                "kind", "msgs", "msgs/upd", "B/upd", "B/msg", "payload"));
    for (String h : headers) {
      head.append(String.format(" %10s", abbreviate(h)));
    }
    head.append(String.format(" %9s", "envelope"));
    out.println(head);
    List<Map.Entry<String, WireTap.Tally>> rows = new ArrayList<>(tallies.entrySet());
    rows.sort((x, y) -> Long.compare(y.getValue().frameBytes, x.getValue().frameBytes));
    for (Map.Entry<String, WireTap.Tally> e : rows) {
      WireTap.Tally t = e.getValue();
      double n = Math.max(1, t.messages);
      StringBuilder line =
          new StringBuilder(
              String.format(
                  "  %-30s %8d %9.3f %9.1f %8.1f %8.1f",
                  abbreviate(e.getKey(), 30),
                  t.messages,
                  t.messages / (double) updates,
                  t.frameBytes / (double) updates,
                  t.frameBytes / n,
                  t.payloadBytes / n));
      for (String h : headers) {
        Long b = t.headerBytes.get(h);
        line.append(b == null ? String.format(" %10s", "-") : String.format(" %10.1f", b / n));
      }
      line.append(String.format(" %9.1f", t.envelopeBytes / n));
      out.println(line);
    }
    out.println(
        "  (B/msg columns: mean bytes per message; a header column is 4 B of id and magic number"
            + " + the header; envelope = transport prefix, flags, addresses, header count,"
            + " payload length)");
  }

  private static String abbreviate(String s) {
    return abbreviate(s, 10);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }

  /** The codec's frames for this session, field by field, and a full copy for comparison. */
  private void printFrames(String fullId, int lastCounter, SessionGrid owner, SessionGrid backup) {
    String base = fullId.substring(0, fullId.indexOf('.'));
    AttributeCodec codec =
        new AttributeCodec(
            ClassPolicy.allowing("org.buddygrid.benchmarks.**"), CodecLimits.defaults());
    byte[] value = codec.encode(COUNTER, lastCounter);
    long version = lastCounter + 1L; // the first commit was version 1
    Replicate delta =
        new Replicate(
            base,
            0,
            version,
            version - 1,
            false,
            owner.route(),
            List.of(backup.route()),
            null,
            Map.of(COUNTER, value),
            List.of());
    WireCatalog catalog = ReplicationCatalog.catalog();
    int frame = catalog.encode(delta).length;
    Map<String, Integer> parts = new LinkedHashMap<>();
    parts.put("format version + type id", 1 + varIntSize(catalog.typeId(Replicate.class)));
    parts.put("session id (0 marker + 18 raw bytes)", 19);
    parts.put(
        "epoch + version (varints)", new WireOutput().writeVarLong(0).writeVarLong(version).size());
    parts.put("flags (full/meta/consecutive)", 1);
    parts.put("owner route", new WireOutput().writeString(owner.route()).size());
    parts.put("backup list", new WireOutput().writeVarInt(1).writeString(backup.route()).size());
    parts.put("attribute count", 1);
    parts.put("attribute name \"" + COUNTER + "\"", new WireOutput().writeString(COUNTER).size());
    parts.put(
        "attribute value (Kryo Integer, " + value.length + " B + length)",
        new WireOutput().writeBytes(value).size());
    parts.put("removed-names count", 1);
    int sum = parts.values().stream().mapToInt(Integer::intValue).sum();
    out.printf(
        "%ncodec frames (ReplicationCatalog, deterministic)%n  delta Replicate: %d B%s%n",
        frame, sum == frame ? "" : " (field sum " + sum + " B does not match!)");
    parts.forEach((k, v) -> out.printf("    %-52s %3d B%n", k, v));
    out.printf("  Applied reply: %d B%n", catalog.encode(new Applied(version)).length);
    Map<String, byte[]> full = new LinkedHashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < attributes; i++) {
      byte[] v = new byte[valueBytes];
      random.nextBytes(v);
      full.put(String.format("attribute-%02d", i), codec.encode("x", v));
    }
    full.put(COUNTER, value);
    Replicate copy =
        new Replicate(
            base,
            0,
            version,
            0,
            true,
            owner.route(),
            List.of(backup.route()),
            new Meta(System.currentTimeMillis(), System.currentTimeMillis(), 1800),
            full,
            List.of());
    out.printf(
        "  full copy of this session (first commit, NeedFull): %,d B%n",
        catalog.encode(copy).length);
  }

  private static int varIntSize(int v) {
    return new WireOutput().writeVarInt(v).size();
  }
}
