package org.buddygrid.core.testing;

import org.buddygrid.core.Request;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireCodec;
import org.buddygrid.core.wire.WireInput;
import org.buddygrid.core.wire.WireOutput;

/** Small message types for messaging tests. */
public final class TestMessages {
  private TestMessages() {}

  public record Echo(String text) implements Request<Echoed> {}

  public record Echoed(String text, String by) {}

  public record Never(int n) implements Request<Echoed> {}

  public record Fail(String why) implements Request<Echoed> {}

  public record Note(String text) {}

  private static WireCodec<String> stringCodec() {
    return new WireCodec<>() {
      @Override
      public void write(String s, WireOutput out) {
        out.writeString(s);
      }

      @Override
      public String read(WireInput in) {
        return in.readString(10_000);
      }
    };
  }

  private static <T> WireCodec<T> text(
      java.util.function.Function<T, String> get, java.util.function.Function<String, T> make) {
    WireCodec<String> s = stringCodec();
    return new WireCodec<>() {
      @Override
      public void write(T value, WireOutput out) {
        s.write(get.apply(value), out);
      }

      @Override
      public T read(WireInput in) {
        return make.apply(s.read(in));
      }
    };
  }

  public static final WireCatalog CATALOG =
      WireCatalog.builder()
          .add(100, Echo.class, text(Echo::text, Echo::new))
          .add(
              101,
              Echoed.class,
              new WireCodec<>() {
                @Override
                public void write(Echoed e, WireOutput out) {
                  out.writeString(e.text()).writeString(e.by());
                }

                @Override
                public Echoed read(WireInput in) {
                  return new Echoed(in.readString(10_000), in.readString(64));
                }
              })
          .add(
              102,
              Never.class,
              new WireCodec<>() {
                @Override
                public void write(Never n, WireOutput out) {
                  out.writeVarInt(n.n());
                }

                @Override
                public Never read(WireInput in) {
                  return new Never(in.readVarInt());
                }
              })
          .add(103, Fail.class, text(Fail::why, Fail::new))
          .add(104, Note.class, text(Note::text, Note::new))
          .build();
}
