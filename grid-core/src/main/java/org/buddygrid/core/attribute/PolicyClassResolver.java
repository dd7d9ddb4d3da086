package org.buddygrid.core.attribute;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.ObjectMap;

/**
 * Kryo's class resolver with the {@link ClassPolicy} in front of it.
 *
 * <p>Classes registered with a fixed id ({@link JdkTypes}) go by id. Every other class is
 * registered implicitly the first time it is met and then goes by name: {@link
 * #registerImplicit(Class)} refuses a class outside the policy, on encode and decode alike, and
 * {@link #readName(Input)} checks a name read from the input against the policy <em>before</em>
 * asking a class loader for it, so no class outside the policy is even loaded from received bytes.
 */
@SuppressWarnings("rawtypes") // DefaultClassResolver's signatures use raw types
final class PolicyClassResolver extends DefaultClassResolver {
  private final ClassPolicy policy;

  PolicyClassResolver(ClassPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Registration registerImplicit(Class type) {
    policy.check(type);
    if (type.getName().length() > BoundedInput.MAX_CLASS_NAME_LENGTH) {
      throw new LimitExceededException(
          LimitExceededException.Limit.CLASS_NAME_LENGTH,
          type.getName().length(),
          BoundedInput.MAX_CLASS_NAME_LENGTH);
    }
    return super.registerImplicit(type);
  }

  @Override
  protected Registration readName(Input input) {
    int nameId = input.readVarInt(true);
    if (nameIdToClass == null) {
      nameIdToClass = new IntMap<>();
    }
    Class type = nameIdToClass.get(nameId);
    if (type == null) {
      // The first time a class occurs in a value its name follows; later occurrences use the id.
      String className =
          input instanceof BoundedInput
              ? ((BoundedInput) input).readClassName()
              : input.readString();
      if (className == null) {
        throw new KryoException("Null class name");
      }
      type = getTypeByName(className);
      if (type == null) {
        policy.check(className);
        try {
          type = Class.forName(className, false, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new KryoException("Unable to find class: " + className, e);
        }
        if (nameToClass == null) {
          nameToClass = new ObjectMap<>();
        }
        nameToClass.put(className, type);
      }
      nameIdToClass.put(nameId, type);
    }
    return kryo.getRegistration(type);
  }
}
