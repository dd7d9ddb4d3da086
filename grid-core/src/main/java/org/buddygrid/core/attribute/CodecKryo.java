package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.KryoSerializableSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import org.buddygrid.core.attribute.BoundedCollections.BoundedCollectionSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedPriorityQueueSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedSkipListMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedTreeMapSerializer;
import org.buddygrid.core.attribute.BoundedCollections.BoundedTreeSetSerializer;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * One Kryo configured for {@link AttributeCodec}, with the output and input buffers it writes to
 * and reads from. Used by one thread at a time, through the codec's pool.
 *
 * <p>References are on, so shared objects and cycles inside one value survive (immutable JDK values
 * excepted: {@link ValueReferenceResolver}); Kryo forgets them after each value. Registration is
 * not required: the JDK types of {@link JdkTypes} go by fixed id, every other class by name, and
 * only if the {@link ClassPolicy} allows it ({@link PolicyClassResolver}). Classes without a
 * no-argument constructor are instantiated without one (Objenesis). The default serializers for
 * collections, maps and arrays are replaced by ones that check lengths before allocating, and
 * application classes get a {@link TypeCheckedFieldSerializer}.
 */
@SuppressWarnings("rawtypes") // Kryo's signatures use raw types
final class CodecKryo extends Kryo {
  final BoundedOutput output;
  final BoundedInput input;

  CodecKryo(ClassPolicy policy, CodecLimits limits, ClassLoader classLoader, int outputCeiling) {
    super(new PolicyClassResolver(policy), new ValueReferenceResolver());
    setRegistrationRequired(false);
    setWarnUnregisteredClasses(false);
    setClassLoader(classLoader);
    setMaxDepth(limits.maxDepth());
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    setDefaultSerializer(factory((kryo, type) -> new TypeCheckedFieldSerializer<>(kryo, type)));

    // Checked before the collection defaults so that a collection doing its own serialization
    // keeps it.
    addDefaultSerializer(KryoSerializable.class, KryoSerializableSerializer.class);
    addDefaultSerializer(
        Collection.class, factory((k, t) -> new BoundedCollectionSerializer<>(limits)));
    addDefaultSerializer(Map.class, factory((k, t) -> new BoundedMapSerializer<>(limits)));
    addDefaultSerializer(TreeSet.class, factory((k, t) -> new BoundedTreeSetSerializer(limits)));
    addDefaultSerializer(TreeMap.class, factory((k, t) -> new BoundedTreeMapSerializer(limits)));
    addDefaultSerializer(
        ConcurrentSkipListMap.class, factory((k, t) -> new BoundedSkipListMapSerializer(limits)));
    addDefaultSerializer(
        PriorityQueue.class, factory((k, t) -> new BoundedPriorityQueueSerializer(limits)));
    addDefaultSerializer(EnumMap.class, factory((k, t) -> new EnumMapSerializer(limits)));
    addDefaultSerializer(
        Record.class, factory((kryo, type) -> new CanonicalRecordSerializer<>(kryo, type)));
    addDefaultSerializer(
        Object[].class,
        factory(
            (kryo, type) ->
                new CheckedArraySerializer<>(new ObjectArraySerializer(kryo, type), 1, limits)));

    JdkTypes.registerAll(this, limits);

    this.output = new BoundedOutput(outputCeiling, limits.maxStringLength());
    this.input = new BoundedInput(limits.maxStringLength());
  }

  private static SerializerFactory<Serializer<?>> factory(
      BiFunction<Kryo, Class<?>, Serializer<?>> create) {
    return new SerializerFactory.BaseSerializerFactory<>() {
      @Override
      public Serializer<?> newSerializer(Kryo kryo, Class type) {
        return create.apply(kryo, type);
      }
    };
  }

  /**
   * Refuses lambdas, proxies and other hidden classes by their own name; Kryo would otherwise look
   * them up as its closure or invocation-handler placeholder.
   */
  @Override
  public Registration getRegistration(Class type) {
    Registration registration = getClassResolver().getRegistration(type);
    if (registration != null) {
      return registration;
    }
    if (type.isHidden() || Proxy.isProxyClass(type)) {
      throw ClassPolicy.refusal(type);
    }
    return super.getRegistration(type);
  }

  // Every way in and out of an object, so that the resolver knows which objects are still being
  // written or read (ValueReferenceResolver refuses collections that contain themselves).

  private ValueReferenceResolver resolver() {
    return (ValueReferenceResolver) getReferenceResolver();
  }

  @Override
  public void writeClassAndObject(Output output, Object object) {
    int mark = resolver().enterWrite(object);
    try {
      super.writeClassAndObject(output, object);
    } finally {
      resolver().leaveWrite(mark);
    }
  }

  @Override
  public void writeObject(Output output, Object object) {
    int mark = resolver().enterWrite(object);
    try {
      super.writeObject(output, object);
    } finally {
      resolver().leaveWrite(mark);
    }
  }

  @Override
  public void writeObject(Output output, Object object, Serializer serializer) {
    int mark = resolver().enterWrite(object);
    try {
      super.writeObject(output, object, serializer);
    } finally {
      resolver().leaveWrite(mark);
    }
  }

  @Override
  public void writeObjectOrNull(Output output, Object object, Class type) {
    int mark = resolver().enterWrite(object);
    try {
      super.writeObjectOrNull(output, object, type);
    } finally {
      resolver().leaveWrite(mark);
    }
  }

  @Override
  public void writeObjectOrNull(Output output, Object object, Serializer serializer) {
    int mark = resolver().enterWrite(object);
    try {
      super.writeObjectOrNull(output, object, serializer);
    } finally {
      resolver().leaveWrite(mark);
    }
  }

  @Override
  public Object readClassAndObject(Input input) {
    int mark = resolver().enterRead();
    try {
      return super.readClassAndObject(input);
    } finally {
      resolver().leaveRead(mark);
    }
  }

  @Override
  public <T> T readObject(Input input, Class<T> type) {
    int mark = resolver().enterRead();
    try {
      return super.readObject(input, type);
    } finally {
      resolver().leaveRead(mark);
    }
  }

  @Override
  public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
    int mark = resolver().enterRead();
    try {
      return super.readObject(input, type, serializer);
    } finally {
      resolver().leaveRead(mark);
    }
  }

  @Override
  public <T> T readObjectOrNull(Input input, Class<T> type) {
    int mark = resolver().enterRead();
    try {
      return super.readObjectOrNull(input, type);
    } finally {
      resolver().leaveRead(mark);
    }
  }

  @Override
  public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
    int mark = resolver().enterRead();
    try {
      return super.readObjectOrNull(input, type, serializer);
    } finally {
      resolver().leaveRead(mark);
    }
  }

  @Override
  public void reference(Object object) {
    super.reference(object);
    if (object != null) {
      resolver().referenced(object);
    }
  }
}
