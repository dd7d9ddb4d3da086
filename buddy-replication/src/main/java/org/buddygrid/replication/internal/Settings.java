package org.buddygrid.replication.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.buddygrid.core.attribute.ClassPolicy;
import org.buddygrid.core.attribute.CodecLimits;
import org.buddygrid.replication.CrossReferences;
import org.buddygrid.replication.DirtyOnGet;
import org.buddygrid.replication.Granularity;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.spi.BuddySelector;

/** The replication engine's settings, validated by {@code SessionGrid.Builder}. Immutable. */
public record Settings(
    Timing timing,
    Duration flushInterval,
    Granularity granularity,
    DirtyOnGet dirtyOnGet,
    CrossReferences crossReferences,
    int backups,
    BuddySelector selector,
    Duration touchInterval,
    Duration replicationTimeout,
    Duration takeoverTimeout,
    Duration quiesceTimeout,
    Duration lookupTimeout,
    Duration locationBatchDelay,
    int locationBatchSize,
    long directorySize,
    long maxBackupBytes,
    int maxOwnedSessions,
    long maxSessionSize,
    Duration backupGrace,
    Duration joinGrace,
    int recoveryRate,
    boolean groupCommit,
    Duration expirySweep,
    Duration defaultMaxInactive,
    ClassPolicy classPolicy,
    CodecLimits codecLimits,
    Set<Class<?>> immutableTypes,
    Clock clock) {}
