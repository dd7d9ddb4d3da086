package org.buddygrid.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.id.SessionIdGenerator;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Location;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode and decode of the wire messages on the replication hot path: a one-attribute delta, a full
 * copy of a 20 x 1 KB session, its acknowledgement, and a batch of 100 locations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireCodecBenchmark {
  private final WireCatalog catalog = ReplicationCatalog.catalog();
  private Replicate delta;
  private Replicate full;
  private Applied applied;
  private Locations locations;
  private byte[] deltaBytes;
  private byte[] fullBytes;
  private byte[] appliedBytes;
  private byte[] locationsBytes;
  private final WireOutput out = new WireOutput(32 * 1024);

  @Setup
  public void setup() {
    SessionIdGenerator ids = new SessionIdGenerator();
    String id = ids.newBase();
    delta =
        new Replicate(
            id,
            3,
            42,
            41,
            false,
            "node1",
            List.of("node2"),
            null,
            Map.of("counter", new byte[] {9, 2, 4, 0, 0}),
            List.of());
    Map<String, byte[]> attrs = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      attrs.put("attribute-" + i, new byte[1024]);
    }
    full =
        new Replicate(
            id,
            3,
            42,
            0,
            true,
            "node1",
            List.of("node2"),
            new Meta(1L << 40, 1L << 40, 1800),
            attrs,
            List.of());
    applied = new Applied(42);
    Location[] locs = new Location[100];
    for (int i = 0; i < locs.length; i++) {
      locs[i] = new Location(ids.newBase(), "node" + (i % 4), List.of("node" + ((i + 1) % 4)), i);
    }
    locations = new Locations(List.of(locs), List.of());
    deltaBytes = catalog.encode(delta);
    fullBytes = catalog.encode(full);
    appliedBytes = catalog.encode(applied);
    locationsBytes = catalog.encode(locations);
    System.out.printf(
        "%nframe sizes: delta %d B, full (20 x 1 KB) %d B, applied %d B, 100 locations %d B%n",
        deltaBytes.length, fullBytes.length, appliedBytes.length, locationsBytes.length);
  }

  @Benchmark
  public int encodeDelta() {
    catalog.encode(delta, out.reset());
    return out.size();
  }

  @Benchmark
  public Object decodeDelta() {
    return catalog.decode(deltaBytes);
  }

  @Benchmark
  public int encodeFullCopy() {
    catalog.encode(full, out.reset());
    return out.size();
  }

  @Benchmark
  public Object decodeFullCopy() {
    return catalog.decode(fullBytes);
  }

  @Benchmark
  public Object roundTripApplied() {
    catalog.encode(applied, out.reset());
    return catalog.decode(appliedBytes);
  }

  @Benchmark
  public int encodeLocations() {
    catalog.encode(locations, out.reset());
    return out.size();
  }

  @Benchmark
  public Object decodeLocations() {
    return catalog.decode(locationsBytes);
  }
}
