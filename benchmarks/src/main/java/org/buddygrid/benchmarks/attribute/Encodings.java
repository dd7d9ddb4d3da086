package org.buddygrid.benchmarks.attribute;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import org.buddygrid.core.attribute.AttributeCodec;
import org.buddygrid.core.attribute.ClassPolicy;
import org.buddygrid.core.attribute.CodecLimits;

/** The two encodings compared: BuddyGrid's attribute codec and Java serialization. */
final class Encodings {
  private Encodings() {}

  static AttributeCodec codec() {
    return new AttributeCodec(ClassPolicy.allowing(SessionModel.PACKAGE), CodecLimits.defaults());
  }

  /** One self-contained Java serialization stream per value, as a replicator would send it. */
  static byte[] javaSerialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Object javaDeserialize(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
