package org.buddygrid.session;

import static org.buddygrid.session.BuddyGridSettings.ALLOW;
import static org.buddygrid.session.BuddyGridSettings.BACKUPS;
import static org.buddygrid.session.BuddyGridSettings.CLUSTER;
import static org.buddygrid.session.BuddyGridSettings.CROSS_REFERENCES;
import static org.buddygrid.session.BuddyGridSettings.DIRTY_ON_GET;
import static org.buddygrid.session.BuddyGridSettings.EXPIRY_SWEEP;
import static org.buddygrid.session.BuddyGridSettings.FLUSH_INTERVAL;
import static org.buddygrid.session.BuddyGridSettings.GRANULARITY;
import static org.buddygrid.session.BuddyGridSettings.GROUP_COMMIT;
import static org.buddygrid.session.BuddyGridSettings.HAND_OFF_TIMEOUT;
import static org.buddygrid.session.BuddyGridSettings.HOST;
import static org.buddygrid.session.BuddyGridSettings.JMX;
import static org.buddygrid.session.BuddyGridSettings.JOIN_GRACE;
import static org.buddygrid.session.BuddyGridSettings.LOOKUP_TIMEOUT;
import static org.buddygrid.session.BuddyGridSettings.MAX_BACKUP_BYTES;
import static org.buddygrid.session.BuddyGridSettings.MAX_INACTIVE;
import static org.buddygrid.session.BuddyGridSettings.MAX_OWNED_SESSIONS;
import static org.buddygrid.session.BuddyGridSettings.MAX_SESSION_SIZE;
import static org.buddygrid.session.BuddyGridSettings.QUIESCE_TIMEOUT;
import static org.buddygrid.session.BuddyGridSettings.RACK;
import static org.buddygrid.session.BuddyGridSettings.RECOVERY_RATE;
import static org.buddygrid.session.BuddyGridSettings.REPLICATION_TIMEOUT;
import static org.buddygrid.session.BuddyGridSettings.ROUTE;
import static org.buddygrid.session.BuddyGridSettings.STACK;
import static org.buddygrid.session.BuddyGridSettings.TAKEOVER_TIMEOUT;
import static org.buddygrid.session.BuddyGridSettings.TIMING;
import static org.buddygrid.session.BuddyGridSettings.TOUCH_INTERVAL;
import static org.buddygrid.session.BuddyGridSettings.ZONE;

import java.util.List;
import java.util.Map;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.replication.SessionGrid;

/**
 * Applies {@link BuddyGridSettings} to a {@link SessionGrid.Builder}, one setting at a time, so a
 * value the grid refuses is reported with its key and where it came from.
 */
final class GridBuilders {
  private GridBuilders() {}

  static SessionGrid.Builder apply(BuddyGridSettings s, List<String> problems) {
    SessionGrid.Builder b = SessionGrid.newBuilder();
    s.find(ROUTE).ifPresent(route -> step(s, problems, ROUTE, () -> b.route(route)));
    step(s, problems, CLUSTER, () -> b.cluster(s.get(CLUSTER)));
    step(s, problems, STACK, () -> b.stack(stack(s)));
    s.find(HOST).ifPresent(v -> step(s, problems, HOST, () -> b.node(n -> n.host(v))));
    s.find(RACK).ifPresent(v -> step(s, problems, RACK, () -> b.node(n -> n.rack(v))));
    s.find(ZONE).ifPresent(v -> step(s, problems, ZONE, () -> b.node(n -> n.zone(v))));
    step(s, problems, TIMING, () -> b.timing(s.get(TIMING)));
    step(s, problems, FLUSH_INTERVAL, () -> b.flushInterval(s.get(FLUSH_INTERVAL)));
    step(s, problems, GRANULARITY, () -> b.granularity(s.get(GRANULARITY)));
    step(s, problems, DIRTY_ON_GET, () -> b.dirtyOnGet(s.get(DIRTY_ON_GET)));
    step(s, problems, CROSS_REFERENCES, () -> b.crossReferences(s.get(CROSS_REFERENCES)));
    step(s, problems, BACKUPS, () -> b.backups(s.get(BACKUPS)));
    step(s, problems, TOUCH_INTERVAL, () -> b.touchInterval(s.get(TOUCH_INTERVAL)));
    step(s, problems, REPLICATION_TIMEOUT, () -> b.replicationTimeout(s.get(REPLICATION_TIMEOUT)));
    step(s, problems, TAKEOVER_TIMEOUT, () -> b.takeoverTimeout(s.get(TAKEOVER_TIMEOUT)));
    step(s, problems, QUIESCE_TIMEOUT, () -> b.quiesceTimeout(s.get(QUIESCE_TIMEOUT)));
    step(s, problems, LOOKUP_TIMEOUT, () -> b.lookupTimeout(s.get(LOOKUP_TIMEOUT)));
    step(s, problems, MAX_BACKUP_BYTES, () -> b.maxBackupBytes(s.get(MAX_BACKUP_BYTES)));
    step(s, problems, MAX_OWNED_SESSIONS, () -> b.maxOwnedSessions(s.get(MAX_OWNED_SESSIONS)));
    step(s, problems, MAX_SESSION_SIZE, () -> b.maxSessionSize(s.get(MAX_SESSION_SIZE)));
    step(s, problems, RECOVERY_RATE, () -> b.recoveryRate(s.get(RECOVERY_RATE)));
    step(s, problems, GROUP_COMMIT, () -> b.groupCommit(s.get(GROUP_COMMIT)));
    step(s, problems, HAND_OFF_TIMEOUT, () -> b.handOffTimeout(s.get(HAND_OFF_TIMEOUT)));
    step(s, problems, JOIN_GRACE, () -> b.joinGrace(s.get(JOIN_GRACE)));
    step(s, problems, EXPIRY_SWEEP, () -> b.expirySweep(s.get(EXPIRY_SWEEP)));
    step(s, problems, MAX_INACTIVE, () -> b.defaultMaxInactive(s.get(MAX_INACTIVE)));
    if (!s.get(ALLOW).isEmpty()) {
      step(s, problems, ALLOW, () -> b.allow(s.get(ALLOW).toArray(String[]::new)));
    }
    step(s, problems, JMX, () -> b.node(n -> n.jmx(s.get(JMX))));
    return b;
  }

  /**
   * The named stack with every stack value the sources gave; its placeholders and discovery
   * settings are checked now, before any socket is opened.
   */
  private static JGroupsStack stack(BuddyGridSettings s) {
    JGroupsStack stack = Stacks.named(s.get(STACK));
    for (Map.Entry<String, String> e : s.stackValues().entrySet()) {
      stack = stack.with(e.getKey(), e.getValue());
    }
    stack.resolvedXml();
    return stack;
  }

  private static void step(
      BuddyGridSettings s, List<String> problems, Setting<?> setting, Runnable apply) {
    try {
      apply.run();
    } catch (RuntimeException e) {
      String where = s.origin(setting).map(o -> " (" + o + ")").orElse(" (default)");
      problems.add(
          setting.key() + "=" + s.find(setting).orElse(null) + where + ": " + e.getMessage());
    }
  }
}
