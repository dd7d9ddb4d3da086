package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * Records, written as their components in declaration order and rebuilt through their canonical
 * constructor, so that a record's own validation runs on the receiving node too.
 *
 * <p>Kryo's {@code RecordSerializer} reads each component through {@code Method.invoke} and writes
 * a primitive component as a boxed object, looking its serializer up each time; records are most of
 * a typical cart, so this one uses method handles and writes primitives directly. The constructor
 * handle casts every argument to its component type: bytes that give a component an object of
 * another class fail the decode, they cannot produce a record that lies about its types.
 */
final class CanonicalRecordSerializer<T> extends Serializer<T> {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
  private static final MethodType CONSTRUCTOR = MethodType.methodType(Object.class, Object[].class);

  private final Class<?> type;
  private final Class<?>[] types;
  private final boolean[] finalTypes;
  private final MethodHandle[] getters;
  private final MethodHandle constructor;
  private final Serializer<?>[] serializers;

  CanonicalRecordSerializer(Kryo kryo, Class<?> type) {
    super(false, true);
    this.type = type;
    RecordComponent[] components = type.getRecordComponents();
    int count = components.length;
    types = new Class<?>[count];
    finalTypes = new boolean[count];
    getters = new MethodHandle[count];
    serializers = new Serializer<?>[count];
    try {
      for (int i = 0; i < count; i++) {
        types[i] = components[i].getType();
        finalTypes[i] = kryo.isFinal(types[i]);
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        getters[i] = LOOKUP.unreflect(accessor).asType(GETTER);
      }
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      constructor =
          LOOKUP
              .unreflectConstructor(canonical)
              .asSpreader(Object[].class, count)
              .asType(CONSTRUCTOR);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new KryoException("Cannot access the components of record " + type.getName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Serializer serializer(Kryo kryo, int component) {
    Serializer<?> serializer = serializers[component];
    if (serializer == null) {
      serializer = kryo.getSerializer(types[component]);
      serializers[component] = serializer;
    }
    return serializer;
  }

  @Override
  public void write(Kryo kryo, Output output, T record) {
    for (int i = 0; i < types.length; i++) {
      Object value;
      try {
        value = (Object) getters[i].invokeExact((Object) record);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new KryoException(t);
      }
      Class<?> componentType = types[i];
      if (componentType.isPrimitive()) {
        writePrimitive(output, componentType, value);
      } else if (finalTypes[i]) {
        kryo.writeObjectOrNull(output, value, serializer(kryo, i));
      } else {
        kryo.writeClassAndObject(output, value);
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T read(Kryo kryo, Input input, Class<? extends T> requested) {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> componentType = types[i];
      if (componentType.isPrimitive()) {
        values[i] = readPrimitive(input, componentType);
      } else if (finalTypes[i]) {
        values[i] = kryo.readObjectOrNull(input, componentType, serializer(kryo, i));
      } else {
        values[i] = kryo.readClassAndObject(input);
      }
    }
    try {
      return (T) (Object) constructor.invokeExact(values);
    } catch (ClassCastException e) {
      throw new KryoException("A component of record " + type.getName() + " has the wrong type", e);
    } catch (RuntimeException e) {
      throw new KryoException("The constructor of record " + type.getName() + " refused", e);
    } catch (Error e) {
      throw e;
    } catch (Throwable t) {
      throw new KryoException(t);
    }
  }

  private static void writePrimitive(Output output, Class<?> type, Object value) {
    if (type == int.class) {
      output.writeVarInt((Integer) value, false);
    } else if (type == long.class) {
      output.writeVarLong((Long) value, false);
    } else if (type == boolean.class) {
      output.writeBoolean((Boolean) value);
    } else if (type == double.class) {
      output.writeDouble((Double) value);
    } else if (type == float.class) {
      output.writeFloat((Float) value);
    } else if (type == short.class) {
      output.writeShort((Short) value);
    } else if (type == byte.class) {
      output.writeByte((Byte) value);
    } else {
      output.writeChar((Character) value);
    }
  }

  private static Object readPrimitive(Input input, Class<?> type) {
    if (type == int.class) {
      return input.readVarInt(false);
    } else if (type == long.class) {
      return input.readVarLong(false);
    } else if (type == boolean.class) {
      return input.readBoolean();
    } else if (type == double.class) {
      return input.readDouble();
    } else if (type == float.class) {
      return input.readFloat();
    } else if (type == short.class) {
      return input.readShort();
    } else if (type == byte.class) {
      return input.readByte();
    } else {
      return input.readChar();
    }
  }
}
