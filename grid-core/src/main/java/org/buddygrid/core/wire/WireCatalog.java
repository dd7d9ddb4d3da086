package org.buddygrid.core.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The message types a node can send and receive, each with a numeric type id and a codec. Immutable
 * once built; thread-safe.
 *
 * <p>A frame is {@code [format version: 1 byte][type id: varint][payload]}. Decoding refuses
 * another format version, an unknown type id, a payload that does not decode, and trailing bytes.
 *
 * <p>Type ids below {@link #FIRST_USER_TYPE_ID} are reserved for grid-core's own messages.
 */
public final class WireCatalog {
  /** The wire format this build speaks. A node refuses frames of any other version. */
  public static final byte FORMAT_VERSION = 1;

  /** The first type id available to modules above grid-core; lower ids are grid-core's. */
  public static final int FIRST_USER_TYPE_ID = 16;

  private static final int MAX_TYPE_ID = 1 << 20;

  private final Map<Integer, Entry<?>> byId;
  private final Map<Class<?>, Entry<?>> byType;

  private record Entry<T>(int id, Class<T> type, WireCodec<T> codec) {}

  private WireCatalog(Map<Integer, Entry<?>> byId, Map<Class<?>, Entry<?>> byType) {
    this.byId = Map.copyOf(byId);
    this.byType = Map.copyOf(byType);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An empty catalog. */
  public static WireCatalog empty() {
    return builder().build();
  }

  /** Whether {@code type} has a codec here. */
  public boolean knows(Class<?> type) {
    return byType.containsKey(type);
  }

  /** The type id of {@code type}, or -1. */
  public int typeId(Class<?> type) {
    Entry<?> e = byType.get(type);
    return e == null ? -1 : e.id();
  }

  /**
   * Writes one frame.
   *
   * @throws IllegalArgumentException if the message's class has no codec here (a programming error)
   */
  public void encode(Object message, WireOutput out) {
    Objects.requireNonNull(message, "message");
    Entry<?> e = byType.get(message.getClass());
    if (e == null) {
      throw new IllegalArgumentException(
          "no wire codec for " + message.getClass().getName() + ": register it in the WireCatalog");
    }
    out.writeByte(FORMAT_VERSION);
    out.writeVarInt(e.id());
    write(e, message, out);
  }

  /** One frame as an exact-size array. */
  public byte[] encode(Object message) {
    WireOutput out = new WireOutput();
    encode(message, out);
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T> void write(Entry<T> e, Object message, WireOutput out) {
    e.codec().write((T) message, out);
  }

  /**
   * Reads one frame, which must span the whole range.
   *
   * @throws MalformedMessageException for any malformed input; nothing else escapes a codec
   */
  public Object decode(byte[] bytes, int off, int len) {
    WireInput in = WireInput.of(bytes, off, len);
    byte version = in.readByte();
    if (version != FORMAT_VERSION) {
      throw new MalformedMessageException(
          "unsupported-version",
          "wire format version "
              + version
              + ", this node speaks "
              + FORMAT_VERSION
              + ": run the same BuddyGrid version on every node");
    }
    int id = in.readVarInt();
    Entry<?> e = byId.get(id);
    if (e == null) {
      throw new MalformedMessageException("unknown-type", "unknown message type id " + id);
    }
    Object value;
    try {
      value = e.codec().read(in);
    } catch (MalformedMessageException m) {
      throw m;
    } catch (RuntimeException r) {
      // A codec's own validation (a record constructor refusing a value, say) is bad input too.
      throw new MalformedMessageException(
          "invalid-value", e.type().getSimpleName() + " refused: " + r.getMessage());
    }
    if (value == null) {
      throw new MalformedMessageException(
          "invalid-value", e.type().getSimpleName() + " decoded to null");
    }
    in.requireEnd();
    return value;
  }

  public Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Builds a {@link WireCatalog}; ids and classes must each be unique. */
  public static final class Builder {
    private final Map<Integer, Entry<?>> byId = new HashMap<>();
    private final Map<Class<?>, Entry<?>> byType = new HashMap<>();

    private Builder() {}

    /**
     * Adds a message type.
     *
     * @throws IllegalArgumentException if the id is out of range or taken, or the class is already
     *     registered
     */
    public <T> Builder add(int typeId, Class<T> type, WireCodec<T> codec) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(codec, "codec");
      if (typeId < 0 || typeId >= MAX_TYPE_ID) {
        throw new IllegalArgumentException(
            "type id must be between 0 and " + MAX_TYPE_ID + ", was " + typeId);
      }
      if (byId.containsKey(typeId)) {
        throw new IllegalArgumentException(
            "type id " + typeId + " is taken by " + byId.get(typeId).type().getName());
      }
      if (byType.containsKey(type)) {
        throw new IllegalArgumentException(type.getName() + " is already registered");
      }
      Entry<T> e = new Entry<>(typeId, type, codec);
      byId.put(typeId, e);
      byType.put(type, e);
      return this;
    }

    /** Adds every type of another catalog. */
    public Builder addAll(WireCatalog other) {
      for (Entry<?> e : other.byId.values()) {
        addEntry(e);
      }
      return this;
    }

    private <T> void addEntry(Entry<T> e) {
      add(e.id(), e.type(), e.codec());
    }

    public WireCatalog build() {
      return new WireCatalog(byId, byType);
    }
  }
}
