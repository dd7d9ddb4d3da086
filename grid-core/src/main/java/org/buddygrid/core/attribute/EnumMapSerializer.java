package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@link EnumMap}s of any key type, written as the key enum's class, the number of entries, and
 * each entry as the key's ordinal and the value with its class.
 *
 * <p>Kryo's own EnumMap serializer must be registered once per key type, and by default Kryo builds
 * an EnumMap without its key type, which then fails. The key type of a non-empty map is the class
 * of its keys. That of an empty map is a private field Java 17 does not let us read without {@code
 * --add-opens}; it is learnt from the {@link ClassCastException} that a copy of the map throws when
 * given a key of another enum, whose message names it ({@code EnumMap.typeCheck}), and checked by
 * putting one of that enum's constants into the copy.
 */
final class EnumMapSerializer extends Serializer<EnumMap<?, ?>> {
  /** A key of a type no application map can have. */
  private enum Probe {
    PROBE
  }

  private final CodecLimits limits;

  EnumMapSerializer(CodecLimits limits) {
    this.limits = limits;
  }

  @Override
  public void write(Kryo kryo, Output output, EnumMap<?, ?> map) {
    kryo.writeClass(output, keyType(kryo, map));
    int size = map.size();
    Lengths.checkEncode(output, size, limits);
    output.writeVarInt(size, true);
    for (Map.Entry<? extends Enum<?>, ?> entry : map.entrySet()) {
      output.writeVarInt(entry.getKey().ordinal(), true);
      kryo.writeClassAndObject(output, entry.getValue());
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public EnumMap<?, ?> read(Kryo kryo, Input input, Class<? extends EnumMap<?, ?>> type) {
    Registration registration = kryo.readClass(input);
    if (registration == null || !registration.getType().isEnum()) {
      throw new KryoException("EnumMap key type is not an enum: " + registration);
    }
    Class keyType = registration.getType();
    Object[] constants = keyType.getEnumConstants();
    EnumMap map = new EnumMap(keyType);
    kryo.reference(map);
    int size = input.readVarInt(true);
    Lengths.checkDecode(size, input, 2, limits);
    if (size > constants.length) {
      throw new KryoException(
          "EnumMap of " + keyType.getName() + " claims " + size + " entries, more than its keys");
    }
    for (int i = 0; i < size; i++) {
      int ordinal = input.readVarInt(true);
      if (ordinal < 0 || ordinal >= constants.length) {
        throw new KryoException("Invalid ordinal for enum " + keyType.getName() + ": " + ordinal);
      }
      map.put((Enum) constants[ordinal], kryo.readClassAndObject(input));
    }
    return map;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<?> keyType(Kryo kryo, EnumMap<?, ?> map) {
    if (!map.isEmpty()) {
      return map.keySet().iterator().next().getDeclaringClass();
    }
    EnumMap copy = new EnumMap(map);
    String message;
    try {
      copy.put(Probe.PROBE, null);
      return Probe.class;
    } catch (ClassCastException e) {
      message = String.valueOf(e.getMessage());
    }
    String marker = " != class ";
    int at = message.lastIndexOf(marker);
    if (at >= 0) {
      String name = message.substring(at + marker.length()).trim();
      for (ClassLoader loader :
          new ClassLoader[] {
            kryo.getClassLoader(), Thread.currentThread().getContextClassLoader()
          }) {
        try {
          Class<?> candidate = Class.forName(name, false, loader);
          Object[] constants = candidate.getEnumConstants();
          if (constants != null) {
            if (constants.length > 0) {
              copy.put((Enum) constants[0], null); // throws if the guess is wrong
            }
            return candidate;
          }
        } catch (ClassNotFoundException | ClassCastException | NullPointerException e) {
          // try the next loader
        }
      }
    }
    throw new KryoException(
        "Cannot tell the key type of an empty EnumMap ("
            + message
            + "): store null or a non-empty"
            + " map instead");
  }
}
