package org.buddygrid.session.conformance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer to one probe request: the status, the raw {@code Set-Cookie} headers and the {@code
 * op=result} lines of the {@link org.buddygrid.session.conformance.app.ProbeServlet}.
 *
 * @param status the HTTP status
 * @param setCookies every {@code Set-Cookie} header, raw
 * @param lines the results, in the order the operations ran
 */
public record Reply(int status, List<String> setCookies, List<Map.Entry<String, String>> lines) {

  static Reply of(HttpResponse<String> response) {
    List<Map.Entry<String, String>> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        lines.add(Map.entry(line.substring(0, eq), line.substring(eq + 1)));
      }
    }
    return new Reply(
        response.statusCode(),
        List.copyOf(response.headers().allValues("Set-Cookie")),
        List.copyOf(lines));
  }

  /**
   * The result of the one operation {@code op} of the request.
   *
   * @throws IllegalStateException if the request was refused or ran {@code op} zero or several
   *     times (a mistake in the check)
   */
  public String value(String op) {
    List<String> all = values(op);
    if (status != 200 || all.size() != 1) {
      throw new IllegalStateException(
          "expected one result for " + op + " (status " + status + "): " + lines);
    }
    return all.get(0);
  }

  /** The results of every run of {@code op}, in order. */
  public List<String> values(String op) {
    return lines.stream().filter(e -> e.getKey().equals(op)).map(Map.Entry::getValue).toList();
  }

  /** The parsed {@code Set-Cookie} headers for the session cookie. */
  public List<SetCookie> sessionCookies() {
    return setCookies.stream()
        .map(SetCookie::parse)
        .filter(c -> c.name().equals(Browser.SESSION_COOKIE))
        .toList();
  }
}
