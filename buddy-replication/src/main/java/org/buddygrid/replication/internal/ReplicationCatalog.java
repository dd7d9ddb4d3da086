package org.buddygrid.replication.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddygrid.core.Member;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.id.SessionIdGenerator;
import org.buddygrid.core.wire.MalformedMessageException;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireCodec;
import org.buddygrid.core.wire.WireInput;
import org.buddygrid.core.wire.WireOutput;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Digest;
import org.buddygrid.replication.internal.Messages.DigestEntry;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.HandOff;
import org.buddygrid.replication.internal.Messages.Holding;
import org.buddygrid.replication.internal.Messages.Invalidate;
import org.buddygrid.replication.internal.Messages.Location;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.Moved;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NoRoom;
import org.buddygrid.replication.internal.Messages.NotFound;
import org.buddygrid.replication.internal.Messages.NotHeld;
import org.buddygrid.replication.internal.Messages.Rename;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.ReplicateBatch;
import org.buddygrid.replication.internal.Messages.ReplicateReplies;
import org.buddygrid.replication.internal.Messages.ReplicateReply;
import org.buddygrid.replication.internal.Messages.Stale;
import org.buddygrid.replication.internal.Messages.Take;
import org.buddygrid.replication.internal.Messages.Touch;
import org.buddygrid.replication.internal.Messages.TouchEntry;
import org.buddygrid.replication.internal.Messages.WhoHas;

/**
 * Wire codecs of the replication messages. Every read validates what it reads: ids are session-id
 * bases, routes are routes, counts fit the remaining input and their caps, versions are not
 * negative.
 */
public final class ReplicationCatalog {
  /** Caps on what a replication message may carry. */
  static final int MAX_BACKUPS = 16;

  static final int MAX_ATTRIBUTES = 100_000;
  static final int MAX_NAME_BYTES = 4096;
  static final int MAX_VALUE_BYTES = 256 << 20;
  static final int MAX_BATCH = 1_000_000;

  /** The shortest encoding of an id: a marker and 18 raw bytes. */
  static final int MIN_ID_BYTES = 1 + SessionIdGenerator.RANDOM_BYTES;

  private ReplicationCatalog() {}

  // ---------------------------------------------------------------- fields

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final int RAW_ID_CHARS = SessionIdGenerator.RANDOM_BYTES * 4 / 3;

  /**
   * A session id base. The ids BuddyGrid makes (24 base64 characters) go as their 18 raw bytes
   * after a 0 marker; any other valid base goes as a string (its length + 1, then the characters).
   */
  static void writeId(WireOutput out, String id) {
    if (id.length() == RAW_ID_CHARS) {
      byte[] raw = B64D.decode(id);
      out.writeByte(0).writeRaw(raw, 0, raw.length);
    } else {
      out.writeVarInt(id.length() + 1);
      byte[] chars = id.getBytes(StandardCharsets.US_ASCII);
      out.writeRaw(chars, 0, chars.length);
    }
  }

  static String readId(WireInput in) {
    int marker = in.readVarInt();
    String id;
    if (marker == 0) {
      byte[] raw = new byte[SessionIdGenerator.RANDOM_BYTES];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = in.readByte();
      }
      id = B64.encodeToString(raw);
    } else {
      if (marker - 1 > SessionId.MAX_BASE_LENGTH || marker - 1 > in.remaining()) {
        throw new MalformedMessageException("invalid-value", "session id base too long");
      }
      char[] chars = new char[marker - 1];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = (char) (in.readByte() & 0xFF);
      }
      id = new String(chars);
      if (id.length() == RAW_ID_CHARS) {
        throw new MalformedMessageException("invalid-value", "a 24-character base must go raw");
      }
    }
    if (!SessionId.isValidBase(id)) {
      throw new MalformedMessageException("invalid-value", "not a session id base");
    }
    return id;
  }

  private static final Interner ROUTES = new Interner(4096);
  private static final Interner NAMES = new Interner(65_536);

  static String readRoute(WireInput in) {
    String r = in.readString(32);
    if (!Member.isValidRoute(r)) {
      throw new MalformedMessageException("invalid-value", "not a route");
    }
    return ROUTES.intern(r);
  }

  static long readCounter(WireInput in) {
    long v = in.readVarLong();
    if (v < 0) {
      throw new MalformedMessageException("invalid-value", "negative epoch or version");
    }
    return v;
  }

  static void writeRoutes(WireOutput out, List<String> routes) {
    out.writeVarInt(routes.size());
    for (String r : routes) {
      out.writeString(r);
    }
  }

  static List<String> readRoutes(WireInput in) {
    int n = in.readCount(MAX_BACKUPS, 2);
    String[] routes = new String[n];
    for (int i = 0; i < n; i++) {
      routes[i] = readRoute(in);
    }
    return List.of(routes);
  }

  static void writeMeta(WireOutput out, Meta m) {
    out.writeVarLong(m.creationTime()).writeVarLong(m.lastAccessedTime());
    out.writeSignedVarLong(m.maxInactiveSeconds());
  }

  static Meta readMeta(WireInput in) {
    long created = readCounter(in);
    long accessed = readCounter(in);
    long maxInactive = in.readSignedVarLong();
    if (maxInactive < Integer.MIN_VALUE || maxInactive > Integer.MAX_VALUE) {
      throw new MalformedMessageException("invalid-value", "max inactive interval out of range");
    }
    return new Meta(created, accessed, (int) maxInactive);
  }

  static void writeAttributes(WireOutput out, Map<String, byte[]> attributes) {
    out.writeVarInt(attributes.size());
    for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
      out.writeString(e.getKey()).writeBytes(e.getValue());
    }
  }

  static Map<String, byte[]> readAttributes(WireInput in) {
    int n = in.readCount(MAX_ATTRIBUTES, 2);
    Map<String, byte[]> out = new LinkedHashMap<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      String name = NAMES.intern(in.readString(MAX_NAME_BYTES));
      byte[] value = in.readBytes(MAX_VALUE_BYTES);
      if (out.put(name, value) != null) {
        throw new MalformedMessageException("invalid-value", "attribute named twice");
      }
    }
    return out;
  }

  static void writeNames(WireOutput out, List<String> names) {
    out.writeVarInt(names.size());
    for (String n : names) {
      out.writeString(n);
    }
  }

  static List<String> readNames(WireInput in) {
    int n = in.readCount(MAX_ATTRIBUTES, 1);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readString(MAX_NAME_BYTES));
    }
    return out;
  }

  private interface Writer<T> {
    void write(T value, WireOutput out);
  }

  private interface Reader<T> {
    T read(WireInput in);
  }

  private static <T> WireCodec<T> codec(Writer<T> w, Reader<T> r) {
    return new WireCodec<>() {
      @Override
      public void write(T value, WireOutput out) {
        w.write(value, out);
      }

      @Override
      public T read(WireInput in) {
        return r.read(in);
      }
    };
  }

  // ---------------------------------------------------------------- catalog

  private static final int REPLICATE = 32;

  private static final WireCodec<Replicate> REPLICATE_CODEC =
      codec(
          (r, out) -> {
            writeId(out, r.id());
            out.writeVarLong(r.epoch()).writeVarLong(r.version());
            // Deltas nearly always continue the previous version: say so in one byte.
            int flags =
                (r.full() ? 1 : 0)
                    | (r.meta() != null ? 2 : 0)
                    | (r.baseVersion() == r.version() - 1 ? 4 : 0);
            out.writeByte(flags);
            if ((flags & 4) == 0) {
              out.writeVarLong(r.baseVersion());
            }
            out.writeString(r.owner());
            writeRoutes(out, r.backups());
            if (r.meta() != null) {
              writeMeta(out, r.meta());
            }
            writeAttributes(out, r.changed());
            writeNames(out, r.removed());
          },
          in -> {
            String id = readId(in);
            long epoch = readCounter(in);
            long version = readCounter(in);
            int flags = in.readByte();
            if ((flags & ~7) != 0) {
              throw new MalformedMessageException("invalid-value", "unknown Replicate flags");
            }
            long base = (flags & 4) != 0 ? version - 1 : readCounter(in);
            String owner = readRoute(in);
            List<String> backups = readRoutes(in);
            Meta meta = (flags & 2) != 0 ? readMeta(in) : null;
            return new Replicate(
                id,
                epoch,
                version,
                base,
                (flags & 1) != 0,
                owner,
                backups,
                meta,
                readAttributes(in),
                readNames(in));
          });

  private static final WireCodec<Applied> APPLIED =
      codec((a, out) -> out.writeVarLong(a.version()), in -> new Applied(readCounter(in)));

  private static final WireCodec<NeedFull> NEED_FULL =
      codec(
          (n, out) -> out.writeSignedVarLong(n.epoch()).writeSignedVarLong(n.version()),
          in -> new NeedFull(in.readSignedVarLong(), in.readSignedVarLong()));

  private static final WireCodec<Stale> STALE =
      codec(
          (s, out) -> out.writeVarLong(s.epoch()).writeString(s.owner()),
          in -> new Stale(readCounter(in), readRoute(in)));

  private static final WireCodec<NoRoom> NO_ROOM =
      codec(
          (n, out) -> out.writeVarLong(n.heldBytes()).writeVarLong(n.maxBytes()),
          in -> new NoRoom(readCounter(in), readCounter(in)));

  /** One reply of a batch: a tag byte (0 applied, 1 need full, 2 stale, 3 no room), its fields. */
  private static void writeReply(WireOutput out, ReplicateReply reply) {
    if (reply instanceof Applied a) {
      APPLIED.write(a, out.writeByte(0));
    } else if (reply instanceof NeedFull n) {
      NEED_FULL.write(n, out.writeByte(1));
    } else if (reply instanceof Stale st) {
      STALE.write(st, out.writeByte(2));
    } else {
      NO_ROOM.write((NoRoom) reply, out.writeByte(3));
    }
  }

  private static ReplicateReply readReply(WireInput in) {
    int tag = in.readByte();
    return switch (tag) {
      case 0 -> APPLIED.read(in);
      case 1 -> NEED_FULL.read(in);
      case 2 -> STALE.read(in);
      case 3 -> NO_ROOM.read(in);
      default ->
          throw new MalformedMessageException(
              "invalid-value", "unknown replication reply tag " + tag);
    };
  }

  private static final WireCodec<Granted> GRANTED =
      codec(
          (g, out) -> {
            writeId(out, g.id());
            out.writeVarLong(g.epoch()).writeVarLong(g.version());
            writeRoutes(out, g.backups());
            writeMeta(out, g.meta());
            writeAttributes(out, g.attributes());
          },
          in ->
              new Granted(
                  readId(in),
                  readCounter(in),
                  readCounter(in),
                  readRoutes(in),
                  readMeta(in),
                  readAttributes(in)));

  /**
   * The replication protocol's message types, ids 32 to 63 (51 used so far; 62 and 63 are the
   * status query's).
   */
  public static WireCatalog catalog() {
    return WireCatalog.builder()
        .add(REPLICATE, Replicate.class, REPLICATE_CODEC)
        .add(33, Applied.class, APPLIED)
        .add(34, NeedFull.class, NEED_FULL)
        .add(35, Stale.class, STALE)
        .add(49, NoRoom.class, NO_ROOM)
        .add(
            50,
            ReplicateBatch.class,
            codec(
                (b, out) -> {
                  out.writeVarInt(b.items().size());
                  for (Replicate r : b.items()) {
                    REPLICATE_CODEC.write(r, out);
                  }
                },
                in -> {
                  int n = in.readCount(MAX_BATCH, MIN_ID_BYTES + 6);
                  List<Replicate> items = new ArrayList<>(n);
                  for (int i = 0; i < n; i++) {
                    items.add(REPLICATE_CODEC.read(in));
                  }
                  return new ReplicateBatch(items);
                }))
        .add(
            51,
            ReplicateReplies.class,
            codec(
                (b, out) -> {
                  out.writeVarInt(b.replies().size());
                  for (ReplicateReply r : b.replies()) {
                    writeReply(out, r);
                  }
                },
                in -> {
                  int n = in.readCount(MAX_BATCH, 2);
                  List<ReplicateReply> replies = new ArrayList<>(n);
                  for (int i = 0; i < n; i++) {
                    replies.add(readReply(in));
                  }
                  return new ReplicateReplies(replies);
                }))
        .add(
            36,
            Touch.class,
            codec(
                (t, out) -> {
                  out.writeVarInt(t.entries().size());
                  for (TouchEntry e : t.entries()) {
                    writeId(out, e.id());
                    out.writeVarLong(e.epoch()).writeVarLong(e.lastAccessedTime());
                  }
                },
                in -> {
                  int n = in.readCount(MAX_BATCH, MIN_ID_BYTES + 2);
                  List<TouchEntry> entries = new ArrayList<>(n);
                  for (int i = 0; i < n; i++) {
                    entries.add(new TouchEntry(readId(in), readCounter(in), readCounter(in)));
                  }
                  return new Touch(entries);
                }))
        .add(
            37,
            Locations.class,
            codec(
                (l, out) -> {
                  out.writeVarInt(l.updates().size());
                  for (Location loc : l.updates()) {
                    writeId(out, loc.id());
                    out.writeString(loc.owner());
                    writeRoutes(out, loc.backups());
                    out.writeVarLong(loc.epoch());
                  }
                  out.writeVarInt(l.removed().size());
                  for (String id : l.removed()) {
                    writeId(out, id);
                  }
                },
                in -> {
                  int n = in.readCount(MAX_BATCH, MIN_ID_BYTES + 4);
                  List<Location> updates = new ArrayList<>(n);
                  for (int i = 0; i < n; i++) {
                    updates.add(
                        new Location(readId(in), readRoute(in), readRoutes(in), readCounter(in)));
                  }
                  int m = in.readCount(MAX_BATCH, MIN_ID_BYTES);
                  List<String> removed = new ArrayList<>(m);
                  for (int i = 0; i < m; i++) {
                    removed.add(readId(in));
                  }
                  return new Locations(updates, removed);
                }))
        .add(
            38, WhoHas.class, codec((w, out) -> writeId(out, w.id()), in -> new WhoHas(readId(in))))
        .add(
            39,
            Holding.class,
            codec(
                (h, out) -> {
                  writeId(out, h.id());
                  out.writeBoolean(h.owner())
                      .writeVarLong(h.epoch())
                      .writeVarLong(h.version())
                      .writeString(h.ownerRoute());
                  writeRoutes(out, h.backups());
                },
                in ->
                    new Holding(
                        readId(in),
                        in.readBoolean(),
                        readCounter(in),
                        readCounter(in),
                        readRoute(in),
                        readRoutes(in))))
        .add(40, NotHeld.class, codec((n, out) -> {}, in -> NotHeld.INSTANCE))
        .add(
            41,
            Take.class,
            codec(
                (t, out) -> {
                  writeId(out, t.id());
                  out.writeVarLong(t.expectedEpoch()).writeString(t.taker());
                },
                in -> new Take(readId(in), readCounter(in), readRoute(in))))
        .add(42, Granted.class, GRANTED)
        .add(
            47,
            HandOff.class,
            codec((h, out) -> GRANTED.write(h.grant(), out), in -> new HandOff(GRANTED.read(in))))
        .add(
            43,
            Moved.class,
            codec(
                (m, out) -> out.writeVarLong(m.epoch()).writeString(m.owner()),
                in -> new Moved(readCounter(in), readRoute(in))))
        .add(44, NotFound.class, codec((n, out) -> {}, in -> NotFound.INSTANCE))
        .add(
            45,
            Invalidate.class,
            codec(
                (i, out) -> {
                  writeId(out, i.id());
                  out.writeVarLong(i.epoch());
                },
                in -> new Invalidate(readId(in), readCounter(in))))
        .add(
            46,
            Rename.class,
            codec(
                (r, out) -> {
                  writeId(out, r.oldId());
                  writeId(out, r.newId());
                  out.writeVarLong(r.epoch()).writeVarLong(r.version());
                },
                in -> new Rename(readId(in), readId(in), readCounter(in), readCounter(in))))
        .add(
            48,
            Digest.class,
            codec(
                (d, out) -> {
                  out.writeVarLong(d.viewId());
                  out.writeVarInt(d.entries().size());
                  for (DigestEntry e : d.entries()) {
                    writeId(out, e.id());
                    out.writeVarLong(e.epoch())
                        .writeVarLong(e.version())
                        .writeVarLong(e.lastAccessedTime());
                    writeRoutes(out, e.backups());
                  }
                },
                in -> {
                  long viewId = readCounter(in);
                  int n = in.readCount(MAX_BATCH, MIN_ID_BYTES + 4);
                  List<DigestEntry> entries = new ArrayList<>(n);
                  for (int i = 0; i < n; i++) {
                    entries.add(
                        new DigestEntry(
                            readId(in),
                            readCounter(in),
                            readCounter(in),
                            readCounter(in),
                            readRoutes(in)));
                  }
                  return new Digest(viewId, entries);
                }))
        .addAll(StatusCatalog.catalog())
        .build();
  }
}
