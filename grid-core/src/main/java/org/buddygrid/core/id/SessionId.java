package org.buddygrid.core.id;

import java.util.Objects;
import java.util.Optional;
import org.buddygrid.core.Member;

/**
 * A session id as clients see it: {@code <base>.<route>}. The base is the cluster-wide key and
 * never changes on takeover; the route names the owner for sticky load balancers and is rewritten
 * when another node takes the session over.
 *
 * <p>The base is URL-safe base64 ({@code [A-Za-z0-9_-]}) of {@link #MIN_BASE_LENGTH} to {@link
 * #MAX_BASE_LENGTH} characters; the route is a valid {@link Member#requireValidRoute route}.
 */
public record SessionId(String base, String route) {
  /** 22 base64 characters carry 132 bits, the least a BuddyGrid id may have. */
  public static final int MIN_BASE_LENGTH = 22;

  /** The longest base accepted from a client. */
  public static final int MAX_BASE_LENGTH = 64;

  /** The longest full id accepted from a client: base, dot, route. */
  public static final int MAX_LENGTH = MAX_BASE_LENGTH + 1 + 32;

  public SessionId {
    if (!isValidBase(base)) {
      throw new IllegalArgumentException(
          "session id base must be "
              + MIN_BASE_LENGTH
              + " to "
              + MAX_BASE_LENGTH
              + " characters of [A-Za-z0-9_-]");
    }
    Member.requireValidRoute(route);
  }

  /**
   * Parses an id that came from a client (cookie, URL, header). Never throws: anything that is not
   * exactly {@code <base>.<route>} in the allowed alphabet and lengths, including CR/LF, spaces,
   * quotes and overlong input, is empty. The length is checked before anything else is looked at.
   */
  public static Optional<SessionId> parse(String value) {
    if (value == null || value.length() > MAX_LENGTH || value.length() < MIN_BASE_LENGTH + 2) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    if (dot < MIN_BASE_LENGTH || dot > MAX_BASE_LENGTH || dot == value.length() - 1) {
      return Optional.empty();
    }
    String base = value.substring(0, dot);
    String route = value.substring(dot + 1);
    if (!isValidBase(base) || !Member.isValidRoute(route)) {
      return Optional.empty();
    }
    return Optional.of(new SessionId(base, route));
  }

  /** Whether {@code base} is a well-formed base. */
  public static boolean isValidBase(String base) {
    if (base == null || base.length() < MIN_BASE_LENGTH || base.length() > MAX_BASE_LENGTH) {
      return false;
    }
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The same session owned by another route (after a takeover). */
  public SessionId withRoute(String newRoute) {
    return Objects.equals(route, newRoute) ? this : new SessionId(base, newRoute);
  }

  /** {@code <base>.<route>}, as sent to clients. */
  @Override
  public String toString() {
    return base + '.' + route;
  }
}
