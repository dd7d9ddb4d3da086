package org.buddygrid.session.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Session ids in URLs: the {@code ;jsessionid=} path parameter the Servlet specification names,
 * read from a request URI and added to URLs that stay within the web application. Used only when
 * {@code buddygrid.url-rewriting=true}.
 */
public final class SessionUrls {
  /** The path parameter, as the Servlet specification names it. */
  public static final String PARAMETER = ";jsessionid=";

  private SessionUrls() {}

  /** The raw value of the first {@code ;jsessionid=} path parameter of {@code requestUri}. */
  public static Optional<String> idFromUri(String requestUri) {
    if (requestUri == null) {
      return Optional.empty();
    }
    // Matched in place: lower-casing the URI first may change its length (U+0130 becomes two
    // chars), and the index would then point past the parameter, or past the end.
    int at = indexOfIgnoringCase(requestUri, PARAMETER);
    if (at < 0) {
      return Optional.empty();
    }
    int start = at + PARAMETER.length();
    int end = start;
    while (end < requestUri.length() && ";/?#".indexOf(requestUri.charAt(end)) < 0) {
      end++;
    }
    return Optional.of(requestUri.substring(start, end));
  }

  private static int indexOfIgnoringCase(String s, String part) {
    for (int i = 0, last = s.length() - part.length(); i <= last; i++) {
      if (s.regionMatches(true, i, part, 0, part.length())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code url} with {@code ;jsessionid=<id>} before its query and fragment, if it points into the
   * web application of {@code request} and carries no session id yet; otherwise {@code url}.
   */
  public static String encode(String url, String id, HttpServletRequest request) {
    if (url == null || url.isEmpty() || url.startsWith("#") || !staysInApplication(url, request)) {
      return url;
    }
    int end = url.length();
    int query = url.indexOf('?');
    int fragment = url.indexOf('#');
    if (query >= 0) {
      end = query;
    }
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    String path = url.substring(0, end);
    if (path.toLowerCase(Locale.ROOT).contains(PARAMETER)) {
      return url;
    }
    return path + PARAMETER + id + url.substring(end);
  }

  private static boolean staysInApplication(String url, HttpServletRequest request) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String context = request.getContextPath();
    if (uri.getScheme() == null && uri.getRawAuthority() == null) {
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      // A relative path stays here; an absolute one must start with the context path.
      return !path.startsWith("/") || isUnder(path, context);
    }
    if (uri.getScheme() != null
        && !uri.getScheme().equalsIgnoreCase("http")
        && !uri.getScheme().equalsIgnoreCase("https")) {
      return false;
    }
    String scheme = uri.getScheme() == null ? request.getScheme() : uri.getScheme();
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equalsIgnoreCase("https") ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return scheme.equalsIgnoreCase(request.getScheme())
        && uri.getHost() != null
        && uri.getHost().equalsIgnoreCase(request.getServerName())
        && port == request.getServerPort()
        && isUnder(path, context);
  }

  private static boolean isUnder(String path, String context) {
    return context.isEmpty() || path.equals(context) || path.startsWith(context + "/");
  }
}
