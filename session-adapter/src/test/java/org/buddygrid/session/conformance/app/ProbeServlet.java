package org.buddygrid.session.conformance.app;

import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Runs the operations named by the {@code op} query parameters, in order, on the request, its
 * response and "the current session" (set by {@code session} and {@code existing}), and answers one
 * {@code op=result} line per operation ({@code text/plain}). Operations never contain {@code =}, so
 * a line splits at its first {@code =}.
 *
 * <p>Results: the value as text; {@code null}; {@code ok} for operations without a value; {@code
 * ISE} or {@code IAE} when the operation threw {@link IllegalStateException} or {@link
 * IllegalArgumentException}; {@code no-session} when there is no current session; {@code
 * error:<class>} for any other exception.
 *
 * <p>Operations (arguments after {@code :}):
 *
 * <ul>
 *   <li>{@code session}, {@code existing}: {@code getSession(true)}, {@code getSession(false)};
 *       answer the id or {@code null}; become the current session
 *   <li>{@code id}, {@code isNew}, {@code creationTime}, {@code lastAccessedTime}, {@code
 *       maxInactive}, {@code setMaxInactive:n}, {@code invalidate}, {@code contextPath} (of the
 *       session's servlet context)
 *   <li>{@code get:n}, {@code type:n} (class name), {@code names} (sorted, comma-separated), {@code
 *       set:n:v} (String), {@code setInt:n:v} (Integer), {@code setList:n:a,b} (ArrayList), {@code
 *       setNull:n}, {@code remove:n}, {@code append:n:x} (adds to the list in place, no
 *       setAttribute), {@code appendAndSet:n:x} (adds, then sets the same list again)
 *   <li>{@code bind:n:label} ({@link BindingProbe}), {@code activation:n:label} ({@link
 *       ActivationProbe}), {@code rebind:n} (sets the value it holds again)
 *   <li>{@code changeId} (answers the new id), {@code requestedId}, {@code requestedValid}, {@code
 *       fromCookie}, {@code fromUrl}, {@code encodeUrl:u}, {@code encodeRedirectUrl:u}
 *   <li>{@code incr:n} (Integer + 1, answers it), {@code lockedIncr:n} (the same under one lock for
 *       the whole JVM), {@code now} (server clock, ms), {@code hold:ms} (the request takes at least
 *       that long)
 * </ul>
 */
public final class ProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private static final Object INCREMENT_LOCK = new Object();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] ops = request.getParameterValues("op");
    if (ops == null || Arrays.stream(ops).anyMatch(op -> op.contains("="))) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "op parameters, without '='");
      return;
    }
    String appId = getServletContext().getInitParameter(EventLog.APP_PARAMETER);
    StringBuilder out = new StringBuilder();
    HttpSession[] current = new HttpSession[1];
    for (String op : ops) {
      String result;
      try {
        result = run(op, request, response, current, appId);
      } catch (IllegalStateException e) {
        result = "ISE";
      } catch (IllegalArgumentException e) {
        result = "IAE";
      } catch (RuntimeException e) {
        result = "error:" + e.getClass().getName();
      }
      out.append(op).append('=').append(result).append('\n');
    }
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(out.toString());
  }

  private static String run(
      String op,
      HttpServletRequest request,
      HttpServletResponse response,
      HttpSession[] current,
      String appId) {
    String[] parts = op.split(":", 3);
    String name = parts[0];
    String arg1 = parts.length > 1 ? parts[1] : null;
    String arg2 = parts.length > 2 ? parts[2] : null;
    switch (name) {
      case "session":
        current[0] = request.getSession(true);
        return current[0].getId();
      case "existing":
        current[0] = request.getSession(false);
        return current[0] == null ? "null" : current[0].getId();
      case "requestedId":
        return String.valueOf(request.getRequestedSessionId());
      case "requestedValid":
        return String.valueOf(request.isRequestedSessionIdValid());
      case "fromCookie":
        return String.valueOf(request.isRequestedSessionIdFromCookie());
      case "fromUrl":
        return String.valueOf(request.isRequestedSessionIdFromURL());
      case "changeId":
        return request.changeSessionId();
      case "encodeUrl":
        return response.encodeURL(op.substring("encodeUrl:".length()));
      case "encodeRedirectUrl":
        return response.encodeRedirectURL(op.substring("encodeRedirectUrl:".length()));
      case "now":
        return String.valueOf(System.currentTimeMillis());
      case "hold":
        long until = System.currentTimeMillis() + Long.parseLong(arg1);
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInSameThread()
            .pollInterval(Duration.ofMillis(5))
            .until(() -> System.currentTimeMillis() >= until);
        return "ok";
      default:
        break;
    }
    HttpSession s = current[0];
    if (s == null) {
      return "no-session";
    }
    switch (name) {
      case "id":
        return s.getId();
      case "isNew":
        return String.valueOf(s.isNew());
      case "creationTime":
        return String.valueOf(s.getCreationTime());
      case "lastAccessedTime":
        return String.valueOf(s.getLastAccessedTime());
      case "maxInactive":
        return String.valueOf(s.getMaxInactiveInterval());
      case "setMaxInactive":
        s.setMaxInactiveInterval(Integer.parseInt(arg1));
        return "ok";
      case "invalidate":
        s.invalidate();
        return "ok";
      case "contextPath":
        return s.getServletContext().getContextPath();
      case "get":
        return String.valueOf(s.getAttribute(arg1));
      case "type":
        Object value = s.getAttribute(arg1);
        return value == null ? "null" : value.getClass().getName();
      case "names":
        List<String> names = Collections.list(s.getAttributeNames());
        Collections.sort(names);
        return String.join(",", names);
      case "set":
        s.setAttribute(arg1, arg2);
        return "ok";
      case "setInt":
        s.setAttribute(arg1, Integer.valueOf(arg2));
        return "ok";
      case "setList":
        s.setAttribute(arg1, new ArrayList<>(Arrays.asList(arg2.split(","))));
        return "ok";
      case "setNull":
        s.setAttribute(arg1, null);
        return "ok";
      case "remove":
        s.removeAttribute(arg1);
        return "ok";
      case "append":
        listAttribute(s, arg1).add(arg2);
        return "ok";
      case "appendAndSet":
        List<String> list = listAttribute(s, arg1);
        list.add(arg2);
        s.setAttribute(arg1, list);
        return "ok";
      case "bind":
        s.setAttribute(arg1, new BindingProbe(appId, arg2));
        return "ok";
      case "activation":
        s.setAttribute(arg1, new ActivationProbe(appId, arg2));
        return "ok";
      case "rebind":
        s.setAttribute(arg1, s.getAttribute(arg1));
        return "ok";
      case "incr":
        return String.valueOf(increment(s, arg1));
      case "lockedIncr":
        synchronized (INCREMENT_LOCK) {
          return String.valueOf(increment(s, arg1));
        }
      default:
        throw new UnsupportedOperationException(op);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> listAttribute(HttpSession s, String name) {
    return (List<String>) s.getAttribute(name);
  }

  private static int increment(HttpSession s, String name) {
    Integer old = (Integer) s.getAttribute(name);
    int next = old == null ? 1 : old + 1;
    s.setAttribute(name, next);
    return next;
  }
}
