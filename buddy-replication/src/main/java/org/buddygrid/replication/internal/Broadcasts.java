package org.buddygrid.replication.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.Member;
import org.buddygrid.replication.internal.Messages.Location;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.Touch;
import org.buddygrid.replication.internal.Messages.TouchEntry;

/**
 * Batches what every node should hear but nobody waits for: location changes go to all members
 * every few tens of milliseconds (or as soon as a batch is full), last-access times go to each
 * backup once per touch interval. The latest entry per session wins within a batch.
 */
final class Broadcasts {
  private final GridNode node;
  private final Settings settings;
  private final ScheduledExecutorService scheduler;
  private final Object lock = new Object();
  private Map<String, Location> pendingLocations = new LinkedHashMap<>();
  private Map<String, Boolean> pendingRemovals = new LinkedHashMap<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, TouchEntry>> touches =
      new ConcurrentHashMap<>();

  Broadcasts(GridNode node, Settings settings, ScheduledExecutorService scheduler) {
    this.node = node;
    this.settings = settings;
    this.scheduler = scheduler;
    long touchMillis = settings.touchInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        this::flushTouches, touchMillis, touchMillis, TimeUnit.MILLISECONDS);
  }

  void location(String id, String owner, List<String> backups, long epoch) {
    boolean full;
    synchronized (lock) {
      pendingRemovals.remove(id);
      pendingLocations.put(id, new Location(id, owner, List.copyOf(backups), epoch));
      full = pendingLocations.size() >= settings.locationBatchSize();
    }
    schedule(full);
  }

  void removed(String id) {
    boolean full;
    synchronized (lock) {
      pendingLocations.remove(id);
      pendingRemovals.put(id, Boolean.TRUE);
      full = pendingRemovals.size() >= settings.locationBatchSize();
    }
    schedule(full);
  }

  private void schedule(boolean now) {
    if (now) {
      scheduler.execute(this::flushLocations);
    } else if (flushScheduled.compareAndSet(false, true)) {
      scheduler.schedule(
          this::flushLocations, settings.locationBatchDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void flushLocations() {
    flushScheduled.set(false);
    Map<String, Location> updates;
    Map<String, Boolean> removals;
    synchronized (lock) {
      if (pendingLocations.isEmpty() && pendingRemovals.isEmpty()) {
        return;
      }
      updates = pendingLocations;
      removals = pendingRemovals;
      pendingLocations = new LinkedHashMap<>();
      pendingRemovals = new LinkedHashMap<>();
    }
    node.messenger()
        .broadcast(
            new Locations(new ArrayList<>(updates.values()), new ArrayList<>(removals.keySet())));
    node.metrics().increment("locations.batches");
  }

  /** Records a last access for each backup of a session; sent at the next touch flush. */
  void touch(String id, long epoch, long lastAccessedTime, List<String> backups) {
    TouchEntry entry = new TouchEntry(id, epoch, lastAccessedTime);
    for (String b : backups) {
      touches.computeIfAbsent(b, k -> new ConcurrentHashMap<>()).put(id, entry);
    }
  }

  void flushTouches() {
    for (String backup : List.copyOf(touches.keySet())) {
      ConcurrentHashMap<String, TouchEntry> batch = touches.remove(backup);
      if (batch == null || batch.isEmpty()) {
        continue;
      }
      Member to = node.member(backup).orElse(null);
      if (to != null) {
        node.messenger().send(to, new Touch(new ArrayList<>(batch.values())));
        node.metrics().increment("touches.batches");
      }
    }
  }
}
