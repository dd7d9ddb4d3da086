package org.buddygrid.benchmarks.attribute;

import java.util.Map;
import org.buddygrid.core.attribute.AttributeCodec;

/**
 * Prints the encoded size of each attribute of {@link SessionModel} with BuddyGrid's codec and with
 * Java serialization: {@code java -cp benchmarks/target/benchmarks.jar
 * org.buddygrid.benchmarks.attribute.SessionSizes}.
 */
public final class SessionSizes {
  private SessionSizes() {}

  public static void main(String[] args) {
    AttributeCodec codec = Encodings.codec();
    Map<String, Object> session = SessionModel.session();
    System.out.printf("| attribute | Kryo codec (B) | Java serialization (B) | ratio |%n");
    System.out.printf("|---|---:|---:|---:|%n");
    long kryoTotal = 0;
    long javaTotal = 0;
    for (Map.Entry<String, Object> attribute : session.entrySet()) {
      int kryo = codec.encode(attribute.getKey(), attribute.getValue()).length;
      int java = Encodings.javaSerialize(attribute.getValue()).length;
      kryoTotal += kryo;
      javaTotal += java;
      System.out.printf(
          "| %s | %,d | %,d | %.1fx |%n", attribute.getKey(), kryo, java, (double) java / kryo);
    }
    System.out.printf(
        "| **all attributes** | **%,d** | **%,d** | **%.1fx** |%n",
        kryoTotal, javaTotal, (double) javaTotal / kryoTotal);
    int kryo = codec.encode("session", session).length;
    int java = Encodings.javaSerialize(session).length;
    System.out.printf(
        "| **session as one value** | **%,d** | **%,d** | **%.1fx** |%n",
        kryo, java, (double) java / kryo);
  }
}
