package org.buddygrid.core.internal;

import org.buddygrid.core.Member;
import org.buddygrid.core.Request;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.core.wire.WireCodec;
import org.buddygrid.core.wire.WireInput;
import org.buddygrid.core.wire.WireOutput;

/** grid-core's own messages (type ids below {@link WireCatalog#FIRST_USER_TYPE_ID}). */
public final class CoreMessages {
  private CoreMessages() {}

  /** A member introduces itself; the reply is the receiver's own introduction. */
  public record Hello(Member member) implements Request<Hello> {}

  /** A request failed at the receiver; sent instead of the reply. */
  public record ErrorReply(String kind, String message) {}

  /** The reply of a handler that completed with {@code null}. */
  public enum NullReply {
    INSTANCE
  }

  static final int MAX_TEXT = 4096;

  static final WireCodec<Member> MEMBER =
      new WireCodec<>() {
        @Override
        public void write(Member m, WireOutput out) {
          out.writeString(m.route())
              .writeString(m.host())
              .writeString(m.rack())
              .writeString(m.zone());
        }

        @Override
        public Member read(WireInput in) {
          return new Member(
              in.readString(32), in.readString(256), in.readString(256), in.readString(256));
        }
      };

  /** The catalog of grid-core's own messages. */
  public static WireCatalog catalog() {
    return WireCatalog.builder()
        .add(
            1,
            Hello.class,
            new WireCodec<>() {
              @Override
              public void write(Hello h, WireOutput out) {
                MEMBER.write(h.member(), out);
              }

              @Override
              public Hello read(WireInput in) {
                return new Hello(MEMBER.read(in));
              }
            })
        .add(
            2,
            ErrorReply.class,
            new WireCodec<>() {
              @Override
              public void write(ErrorReply e, WireOutput out) {
                out.writeString(truncate(e.kind(), 128))
                    .writeString(truncate(e.message(), MAX_TEXT));
              }

              @Override
              public ErrorReply read(WireInput in) {
                return new ErrorReply(in.readString(128 * 4), in.readString(MAX_TEXT * 4));
              }
            })
        .add(
            3,
            NullReply.class,
            new WireCodec<>() {
              @Override
              public void write(NullReply n, WireOutput out) {}

              @Override
              public NullReply read(WireInput in) {
                return NullReply.INSTANCE;
              }
            })
        .build();
  }

  static String truncate(String s, int max) {
    String v = s == null ? "" : s;
    return v.length() <= max ? v : v.substring(0, max);
  }
}
