package org.buddygrid.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A session replication configuration the end-to-end harness measures: no replication (the
 * ceiling), Tomcat's two cluster managers over Tribes, and BuddyGrid with each timing in filter
 * mode and in Tomcat mode (its {@code Manager}).
 */
enum BenchMode {
  NONE("none", Kind.NONE, null, false),
  DELTA("delta", Kind.TRIBES, null, false),
  BACKUP("backup", Kind.TRIBES, null, false),
  SYNC("sync", Kind.BUDDYGRID, "SYNC", false),
  ASYNC("async", Kind.BUDDYGRID, "ASYNC", false),
  /** SYNC with group commit off: one request and one reply per commit (the way before it). */
  SYNC_SINGLE("sync-single", Kind.BUDDYGRID, "SYNC", false, false),
  /** ASYNC with group commit off. */
  ASYNC_SINGLE("async-single", Kind.BUDDYGRID, "ASYNC", false, false),
  INTERVAL("interval", Kind.BUDDYGRID, "INTERVAL", false),
  SYNC_TOMCAT("sync-tomcat", Kind.BUDDYGRID, "SYNC", true),
  ASYNC_TOMCAT("async-tomcat", Kind.BUDDYGRID, "ASYNC", true),
  INTERVAL_TOMCAT("interval-tomcat", Kind.BUDDYGRID, "INTERVAL", true);

  /** What carries the sessions between nodes. */
  enum Kind {
    NONE,
    TRIBES,
    BUDDYGRID
  }

  final String label;
  final Kind kind;
  final String timing;
  final boolean tomcatMode;
  final boolean groupCommit;

  BenchMode(String label, Kind kind, String timing, boolean tomcatMode) {
    this(label, kind, timing, tomcatMode, true);
  }

  BenchMode(String label, Kind kind, String timing, boolean tomcatMode, boolean groupCommit) {
    this.label = label;
    this.kind = kind;
    this.timing = timing;
    this.tomcatMode = tomcatMode;
    this.groupCommit = groupCommit;
  }

  /** Whether sessions survive the loss of their node. */
  boolean replicates() {
    return kind != Kind.NONE;
  }

  /** One line saying what the mode is. */
  String description() {
    return switch (this) {
      case NONE -> "Tomcat StandardManager, no replication (the ceiling)";
      case DELTA -> "Tomcat DeltaManager over Tribes (all-to-all)";
      case BACKUP -> "Tomcat BackupManager over Tribes (one backup, synchronous ack)";
      default ->
          "BuddyGrid "
              + timing
              + (tomcatMode ? ", Tomcat mode (BuddyGridManager)" : ", filter mode")
              + (groupCommit ? "" : ", group commit off")
              + ", 1 backup, tcp stack";
    };
  }

  static BenchMode named(String label) {
    for (BenchMode m : values()) {
      if (m.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + label + "': use one of " + labels(List.of(values())));
  }

  /** Parses a comma-separated list of mode labels. */
  static List<BenchMode> list(String labels) {
    List<BenchMode> modes = new ArrayList<>();
    for (String l : labels.split(",")) {
      BenchMode m = named(l);
      if (modes.contains(m)) {
        throw new IllegalArgumentException("mode " + m.label + " is listed twice in " + labels);
      }
      modes.add(m);
    }
    return modes;
  }

  static String labels(List<BenchMode> modes) {
    return String.join(",", modes.stream().map(m -> m.label).toList());
  }
}
