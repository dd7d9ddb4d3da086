package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.buddygrid.core.id.SessionIdGenerator;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.Holding;
import org.buddygrid.replication.internal.Messages.Invalidate;
import org.buddygrid.replication.internal.Messages.Location;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.Moved;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NotFound;
import org.buddygrid.replication.internal.Messages.NotHeld;
import org.buddygrid.replication.internal.Messages.Rename;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.Stale;
import org.buddygrid.replication.internal.Messages.Take;
import org.buddygrid.replication.internal.Messages.Touch;
import org.buddygrid.replication.internal.Messages.TouchEntry;
import org.buddygrid.replication.internal.Messages.WhoHas;
import org.junit.jupiter.api.Test;

class ReplicationCatalogTest {
  private final WireCatalog catalog = ReplicationCatalog.catalog();
  private final SessionIdGenerator ids = new SessionIdGenerator();

  private List<Object> samples() {
    String id = ids.newBase();
    Map<String, byte[]> attrs = new LinkedHashMap<>();
    attrs.put("cart", new byte[] {1, 2, 3});
    attrs.put("user", new byte[0]);
    Meta meta = new Meta(1_700_000_000_000L, 1_700_000_100_000L, 1800);
    return List.of(
        new Replicate(
            id, 3, 17, 16, false, "node1", List.of("node2", "node3"), null, attrs, List.of("old")),
        new Replicate(id, 3, 17, 9, true, "node1", List.of("node2"), meta, attrs, List.of()),
        new Replicate(id, 0, 1, 0, true, "n", List.of(), new Meta(0, 0, -1), Map.of(), List.of()),
        new Applied(17),
        new NeedFull(-1, -1),
        new NeedFull(2, 5),
        new Stale(4, "node3"),
        new Messages.NoRoom(536_870_000L, 536_870_912L),
        new Touch(
            List.of(
                new TouchEntry(id, 3, 1_700_000_000_123L), new TouchEntry(ids.newBase(), 0, 0))),
        new Locations(
            List.of(new Location(id, "node1", List.of("node2"), 3)), List.of(ids.newBase())),
        new WhoHas(id),
        new Holding(id, true, 3, 17, "node1", List.of("node2")),
        NotHeld.INSTANCE,
        new Take(id, 3, "node2"),
        new Granted(id, 4, 17, List.of("node1"), meta, attrs),
        new Moved(4, "node2"),
        NotFound.INSTANCE,
        new Invalidate(id, 3),
        new Rename(id, ids.newBase(), 3, 18),
        new Messages.Digest(
            12,
            List.of(
                new Messages.DigestEntry(id, 3, 17, 1_700_000_000_123L, List.of("node2")),
                new Messages.DigestEntry(ids.newBase(), 0, 1, 0, List.of()))),
        new Messages.Digest(13, List.of()),
        new Messages.ReplicateBatch(
            List.of(
                new Replicate(
                    id, 3, 18, 17, false, "node1", List.of("node2"), null, attrs, List.of()),
                new Replicate(
                    id,
                    3,
                    19,
                    18,
                    false,
                    "node1",
                    List.of("node2"),
                    meta,
                    Map.of(),
                    List.of("cart")),
                new Replicate(
                    ids.newBase(),
                    0,
                    1,
                    0,
                    true,
                    "node1",
                    List.of("node2"),
                    meta,
                    attrs,
                    List.of()))),
        new Messages.ReplicateReplies(
            List.of(
                new Applied(18),
                new NeedFull(-1, -1),
                new Stale(4, "node3"),
                new Messages.NoRoom(10, 20))));
  }

  /** Records holding byte arrays compare arrays by identity: compare their encodings instead. */
  @Test
  void everyMessageRoundTrips() {
    for (Object m : samples()) {
      byte[] frame = catalog.encode(m);
      Object back = catalog.decode(frame);
      assertThat(back).isInstanceOf(m.getClass());
      assertThat(catalog.encode(back)).as(m.getClass().getSimpleName()).isEqualTo(frame);
    }
  }

  @Test
  void aSmallDeltaIsSmall() {
    Replicate delta =
        new Replicate(
            ids.newBase(),
            1,
            42,
            41,
            false,
            "node1",
            List.of("node2"),
            null,
            Map.of("n", new byte[] {2, 9}),
            List.of());
    // 2 frame + 19 id + 2 epoch/version + 1 flags + 6 owner + 7 backups + 5 attribute + 1 removed
    assertThat(catalog.encode(delta).length).isLessThanOrEqualTo(44);
  }

  @Test
  void idsOfOtherLengthsTravelAsStrings() {
    String longer = "A".repeat(30);
    Object back = catalog.decode(catalog.encode(new WhoHas(longer)));
    assertThat(back).isEqualTo(new WhoHas(longer));
  }

  @Test
  void hostileFramesAreRefusedAsMalformedAndNothingElse() {
    Random random = new Random(99);
    int refused = 0;
    for (Object m : samples()) {
      byte[] frame = catalog.encode(m);
      for (int cut = 0; cut < frame.length; cut++) {
        try {
          catalog.decode(frame, 0, cut);
        } catch (MalformedMessageException e) {
          refused++;
        }
      }
      for (int i = 0; i < 3_000; i++) {
        byte[] copy = frame.clone();
        for (int f = 0; f <= random.nextInt(3); f++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        try {
          assertThat(catalog.decode(copy)).isNotNull();
        } catch (MalformedMessageException e) {
          refused++;
        }
      }
    }
    assertThat(refused).isGreaterThan(10_000);
  }
}
