package org.buddygrid.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One node of the grid as every other node sees it: its route and its topology tags.
 *
 * <p>The route is the node's stable name (Tomcat's {@code jvmRoute}); sticky load balancers route
 * on it. It is 1 to 32 characters of {@code [A-Za-z0-9_-]}, so it can follow a dot in a session id.
 * Routes are unique within a grid. Host, rack and zone place the node for topology-aware buddy
 * selection; an empty tag means "unknown" and matches nothing.
 */
public record Member(String route, String host, String rack, String zone) {
  /** The longest route. */
  public static final int MAX_ROUTE_LENGTH = 32;

  private static final Pattern TAG = Pattern.compile("[\\p{Alnum}._:-]{0,64}");

  public Member {
    requireValidRoute(route);
    host = requireValidTag("host", host);
    rack = requireValidTag("rack", rack);
    zone = requireValidTag("zone", zone);
  }

  /** A member with only a route; topology unknown. */
  public static Member of(String route) {
    return new Member(route, "", "", "");
  }

  /**
   * Checks a route name.
   *
   * @return the route
   * @throws GridConfigurationException if it is null, empty, too long or has other characters
   */
  public static String requireValidRoute(String route) {
    if (!isValidRoute(route)) {
      throw new GridConfigurationException(
          "route "
              + (route == null ? "null" : "\"" + route + "\"")
              + " is not valid: use 1 to 32 letters, digits, '_' or '-' (for example node1)");
    }
    return route;
  }

  /**
   * Whether {@code route} is a valid route name: 1 to {@value #MAX_ROUTE_LENGTH} of {@code
   * [A-Za-z0-9_-]}. Checked for every session id a client sends (several times per request), so a
   * loop rather than a regular expression.
   */
  public static boolean isValidRoute(String route) {
    if (route == null || route.isEmpty() || route.length() > MAX_ROUTE_LENGTH) {
      return false;
    }
    for (int i = 0; i < route.length(); i++) {
      char c = route.charAt(i);
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

  /** Checks a topology tag; null means empty. */
  static String requireValidTag(String what, String value) {
    String v = Objects.requireNonNullElse(value, "");
    if (!TAG.matcher(v).matches()) {
      throw new GridConfigurationException(
          what
              + " tag \""
              + v
              + "\" is not valid: use up to 64 letters, digits, '.', '_', ':' or '-'");
    }
    return v;
  }

  /** Whether both members have the same non-empty host tag. */
  public boolean sameHost(Member other) {
    return !host.isEmpty() && host.equals(other.host);
  }

  /** Whether both members have the same non-empty rack tag in the same zone. */
  public boolean sameRack(Member other) {
    return !rack.isEmpty() && rack.equals(other.rack) && zone.equals(other.zone);
  }

  /** Whether both members have the same non-empty zone tag. */
  public boolean sameZone(Member other) {
    return !zone.isEmpty() && zone.equals(other.zone);
  }

  @Override
  public String toString() {
    return route;
  }
}
