package org.buddygrid.session.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.buddygrid.session.SameSite;

/**
 * The session cookie of one web application: how it is named, read from requests and written as a
 * {@code Set-Cookie} header. Shared by filter mode and the Tomcat manager.
 *
 * <p>Written as {@code NAME=<base>.<route>; Path=...; [Domain=...;] [Max-Age=...; Expires=...;]
 * [Secure;] HttpOnly; [SameSite=...]} plus any other attribute the web application configured.
 * {@code HttpOnly} is always set (scripts never need the session id); {@code Secure} when the
 * configuration says so or the request came over HTTPS. Requests are read from the raw {@code
 * Cookie} headers, so a malformed value reaches the id check (and its counter) whatever the
 * container's cookie parser thinks of it. Immutable.
 */
public final class SessionCookies {
  /** The cookie name when the web application configures none. */
  public static final String DEFAULT_NAME = "JSESSIONID";

  private static final System.Logger LOG = System.getLogger(SessionCookies.class.getName());
  private static final Set<String> MAPPED =
      Set.of("domain", "path", "max-age", "expires", "secure", "httponly", "samesite", "comment");
  private static final String EPOCH = "Thu, 01 Jan 1970 00:00:10 GMT";

  private final String name;
  private final String path;
  private final String domain;
  private final int maxAge;
  private final boolean alwaysSecure;
  private final SameSite sameSite;
  private final Map<String, String> extra;

  /**
   * @param name the cookie name (an RFC 6265 token)
   * @param path the {@code Path} attribute
   * @param domain the {@code Domain} attribute, or {@code null} for none
   * @param maxAge {@code Max-Age} in seconds, or negative for a browser-session cookie
   * @param alwaysSecure whether {@code Secure} is set even on plain HTTP requests
   * @param sameSite the {@code SameSite} attribute
   * @param extra further attributes (name to value; an empty value writes the name alone)
   */
  public SessionCookies(
      String name,
      String path,
      String domain,
      int maxAge,
      boolean alwaysSecure,
      SameSite sameSite,
      Map<String, String> extra) {
    if (!isToken(name)) {
      throw new IllegalArgumentException("session cookie name \"" + name + "\" is not a token");
    }
    this.name = name;
    this.path = requireAttributeValue("Path", Objects.requireNonNull(path, "path"));
    this.domain = domain == null ? null : requireAttributeValue("Domain", domain);
    this.maxAge = maxAge;
    this.alwaysSecure = alwaysSecure;
    this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
    Map<String, String> copy = new LinkedHashMap<>();
    extra.forEach((k, v) -> copy.put(k, v == null ? "" : v));
    this.extra = Collections.unmodifiableMap(copy);
  }

  /**
   * The cookie as {@code context}'s {@link SessionCookieConfig} describes it: its name (default
   * {@value #DEFAULT_NAME}), path (default the context path, or {@code /}), domain, max age, secure
   * flag and further attributes. {@code sameSite} is used when {@code sameSiteExplicit}, or when
   * the configuration has no {@code SameSite} attribute.
   */
  public static SessionCookies of(
      ServletContext context, SameSite sameSite, boolean sameSiteExplicit) {
    SessionCookieConfig c = context.getSessionCookieConfig();
    String name = c.getName() != null && !c.getName().isBlank() ? c.getName() : DEFAULT_NAME;
    String contextPath = context.getContextPath();
    String path =
        c.getPath() != null && !c.getPath().isBlank()
            ? c.getPath()
            : contextPath == null || contextPath.isEmpty() ? "/" : contextPath;
    SameSite effective = sameSite;
    Map<String, String> extra = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.equals("samesite") && !sameSiteExplicit) {
        effective = ValueParsers.choice(e.getValue().strip(), SameSite.class);
      } else if (!MAPPED.contains(key)) {
        if (isToken(e.getKey()) && isAttributeValue(e.getValue())) {
          extra.put(e.getKey(), e.getValue());
        } else {
          LOG.log(Level.WARNING, "session cookie attribute {0} is malformed; left out", e.getKey());
        }
      }
    }
    return new SessionCookies(
        name, path, c.getDomain(), c.getMaxAge(), c.isSecure(), effective, extra);
  }

  public String name() {
    return name;
  }

  /**
   * Every value the request's {@code Cookie} headers give this cookie, in order, with one pair of
   * surrounding quotes removed. Values are not checked here.
   */
  public List<String> values(HttpServletRequest request) {
    Enumeration<String> headers = request.getHeaders("Cookie");
    List<String> out = List.of();
    while (headers != null && headers.hasMoreElements()) {
      out = addValues(headers.nextElement(), name, out);
    }
    return out;
  }

  /**
   * Adds the values {@code header} (one {@code Cookie} header) gives the cookie {@code name} to
   * {@code out}: the pairs between semicolons whose name, stripped, is {@code name}; each value
   * stripped and without one pair of surrounding quotes. Scans in place (this runs for every
   * request): only the values are copied.
   *
   * @param out the values so far (any list; copied into a new {@link ArrayList} before the first
   *     value is added unless it is one)
   * @return the list holding the values
   */
  static List<String> addValues(String header, String name, List<String> out) {
    int n = header.length();
    int start = 0;
    while (start < n) {
      int end = header.indexOf(';', start);
      if (end < 0) {
        end = n;
      }
      int eq = header.indexOf('=', start);
      if (eq > start && eq < end) {
        int ns = start;
        int ne = eq;
        while (ns < ne && Character.isWhitespace(header.charAt(ns))) {
          ns++;
        }
        while (ne > ns && Character.isWhitespace(header.charAt(ne - 1))) {
          ne--;
        }
        if (ne - ns == name.length() && header.regionMatches(ns, name, 0, name.length())) {
          int vs = eq + 1;
          int ve = end;
          while (vs < ve && Character.isWhitespace(header.charAt(vs))) {
            vs++;
          }
          while (ve > vs && Character.isWhitespace(header.charAt(ve - 1))) {
            ve--;
          }
          if (ve - vs >= 2 && header.charAt(vs) == '"' && header.charAt(ve - 1) == '"') {
            vs++;
            ve--;
          }
          if (!(out instanceof ArrayList)) {
            out = new ArrayList<>(out); // List.of() until the first value
          }
          out.add(header.substring(vs, ve));
        }
      }
      start = end + 1;
    }
    return out;
  }

  /** The {@code Set-Cookie} value that gives the client this session id. */
  public String setCookie(String id, boolean secureRequest) {
    if (!isAttributeValue(id) || id.isEmpty()) {
      throw new IllegalArgumentException("not a cookie value: " + id);
    }
    StringBuilder b = new StringBuilder(name).append('=').append(id);
    if (maxAge >= 0) {
      b.append("; Max-Age=").append(maxAge);
      if (maxAge == 0) {
        b.append("; Expires=").append(EPOCH);
      }
    }
    return attributes(b, secureRequest);
  }

  /** The {@code Set-Cookie} value that makes the client forget the session id. */
  public String deleteCookie(boolean secureRequest) {
    return attributes(
        new StringBuilder(name).append("=; Max-Age=0; Expires=").append(EPOCH), secureRequest);
  }

  private String attributes(StringBuilder b, boolean secureRequest) {
    b.append("; Path=").append(path);
    if (domain != null && !domain.isBlank()) {
      b.append("; Domain=").append(domain);
    }
    if (alwaysSecure || secureRequest) {
      b.append("; Secure");
    }
    b.append("; HttpOnly");
    if (sameSite.attributeValue() != null) {
      b.append("; SameSite=").append(sameSite.attributeValue());
    }
    extra.forEach(
        (k, v) -> {
          b.append("; ").append(k);
          if (!v.isEmpty()) {
            b.append('=').append(v);
          }
        });
    return b.toString();
  }

  private static String requireAttributeValue(String what, String value) {
    if (!isAttributeValue(value)) {
      throw new IllegalArgumentException(
          "session cookie " + what + " \"" + value + "\" has characters a cookie cannot carry");
    }
    return value;
  }

  /** RFC 6265 token: visible ASCII without separators. */
  static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Visible ASCII and spaces, without ';' or ',' (nothing that could end the attribute). */
  static boolean isAttributeValue(String s) {
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == ';' || c == ',') {
        return false;
      }
    }
    return true;
  }
}
