package org.buddygrid.benchmarks.attribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.attribute.AttributeCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * BuddyGrid's Kryo attribute codec against Java serialization on the session of {@link
 * SessionModel}: a full copy of the session (every attribute encoded, or decoded, on its own, as
 * attribute-level replication does) and the session as one value (one stream: Java serialization's
 * best case). Sizes are printed by {@link SessionSizes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AttributeCodecBenchmark {
  private AttributeCodec codec;
  private Map<String, Object> session;
  private List<Map.Entry<String, Object>> attributes;
  private List<byte[]> kryoAttributes;
  private List<byte[]> javaAttributes;
  private byte[] kryoSession;
  private byte[] javaSession;

  @Setup
  public void setUp() {
    codec = Encodings.codec();
    session = SessionModel.session();
    attributes = new ArrayList<>(session.entrySet());
    kryoAttributes = new ArrayList<>();
    javaAttributes = new ArrayList<>();
    for (Map.Entry<String, Object> attribute : attributes) {
      kryoAttributes.add(codec.encode(attribute.getKey(), attribute.getValue()));
      javaAttributes.add(Encodings.javaSerialize(attribute.getValue()));
    }
    kryoSession = codec.encode("session", session);
    javaSession = Encodings.javaSerialize(session);
    if (!codec.decode(kryoSession).equals(session)
        || !Encodings.javaDeserialize(javaSession).equals(session)) {
      throw new IllegalStateException("the session does not round-trip");
    }
  }

  @Benchmark
  public void attributesEncodeKryo(Blackhole blackhole) {
    for (Map.Entry<String, Object> attribute : attributes) {
      blackhole.consume(codec.encode(attribute.getKey(), attribute.getValue()));
    }
  }

  @Benchmark
  public void attributesEncodeJava(Blackhole blackhole) {
    for (Map.Entry<String, Object> attribute : attributes) {
      blackhole.consume(Encodings.javaSerialize(attribute.getValue()));
    }
  }

  @Benchmark
  public void attributesDecodeKryo(Blackhole blackhole) {
    for (byte[] bytes : kryoAttributes) {
      blackhole.consume(codec.decode(bytes));
    }
  }

  @Benchmark
  public void attributesDecodeJava(Blackhole blackhole) {
    for (byte[] bytes : javaAttributes) {
      blackhole.consume(Encodings.javaDeserialize(bytes));
    }
  }

  @Benchmark
  public byte[] sessionEncodeKryo() {
    return codec.encode("session", session);
  }

  @Benchmark
  public byte[] sessionEncodeJava() {
    return Encodings.javaSerialize(session);
  }

  @Benchmark
  public Object sessionDecodeKryo() {
    return codec.decode(kryoSession);
  }

  @Benchmark
  public Object sessionDecodeJava() {
    return Encodings.javaDeserialize(javaSession);
  }
}
