package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import java.lang.reflect.Field;

/**
 * Kryo's {@link FieldSerializer}, for application classes, with a type check on every object field
 * it reads.
 *
 * <p>Where {@code sun.misc.Unsafe} is available Kryo stores field values with {@code
 * Unsafe.putObject}, which checks nothing. Bytes may name, for a field declared {@code Item}, an
 * object of another allowed class (by class, or by a back-reference to an object read earlier);
 * stock Kryo would store a {@code String} into the {@code Item} field, and code compiled against
 * {@code Item} would then read memory as if it were one. Each object field is therefore checked
 * right after it is set, before anything else can see the object, and a mismatch fails the decode.
 */
final class TypeCheckedFieldSerializer<T> extends FieldSerializer<T> {

  TypeCheckedFieldSerializer(Kryo kryo, Class<?> type) {
    super(kryo, type);
  }

  @Override
  protected void initializeCachedFields() {
    // Replaces, in place, the array FieldSerializer reads and writes with.
    CachedField[] fields = getFields();
    for (int i = 0; i < fields.length; i++) {
      if (needsCheck(fields[i].getField().getType()) && !(fields[i] instanceof Checked)) {
        fields[i] = new Checked(fields[i]);
      }
    }
  }

  /**
   * Whether a field of this declared type could be given an object of another type. Not if any
   * object fits it ({@code Object}), nor if it is a primitive, nor if its type is final and never
   * referenced (a string, a boxed number, an enum, an immutable JDK value): its value is then
   * always made by the serializer of that very type.
   */
  private boolean needsCheck(Class<?> declared) {
    if (declared.isPrimitive() || declared == Object.class) {
      return false;
    }
    Kryo kryo = getKryo();
    return !kryo.isFinal(declared) || kryo.getReferenceResolver().useReferences(declared);
  }

  private static final class Checked extends CachedField {
    private final CachedField delegate;
    private final Field field;
    private final Class<?> declared;

    Checked(CachedField delegate) {
      super(delegate.getField());
      this.delegate = delegate;
      this.field = delegate.getField();
      this.declared = field.getType();
    }

    @Override
    public void write(Output output, Object object) {
      delegate.write(output, object);
    }

    @Override
    public void read(Input input, Object object) {
      delegate.read(input, object);
      Object value;
      try {
        value = field.get(object);
      } catch (IllegalAccessException e) {
        throw new KryoException("Cannot check field " + field, e);
      }
      if (value != null && !declared.isInstance(value)) {
        throw new KryoException(
            "Field "
                + field.getDeclaringClass().getName()
                + "."
                + field.getName()
                + " of type "
                + declared.getName()
                + " was given a "
                + value.getClass().getName());
      }
    }

    @Override
    public void copy(Object original, Object copy) {
      delegate.copy(original, copy);
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
