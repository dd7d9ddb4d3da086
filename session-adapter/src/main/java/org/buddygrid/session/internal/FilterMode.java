package org.buddygrid.session.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * What the filter does with each request: wraps request and response around the request's {@link
 * SessionUse}, runs the chain, and commits before the response can commit.
 *
 * <p>A dispatch within a request this filter already serves (forward, include, an asynchronous
 * dispatch) uses the same session use; an asynchronous dispatch that does not start another cycle
 * ends it. A dispatch after the use ended (an error page the container runs once the filter
 * returned) continues with the session the request ended with.
 */
public final class FilterMode {
  private final WebAppGrid app;

  public FilterMode(WebAppGrid app) {
    this.app = Objects.requireNonNull(app, "app");
  }

  public WebAppGrid app() {
    return app;
  }

  public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object existing = request.getAttribute(GridSessionRequest.ATTRIBUTE);
    if (existing instanceof GridSessionRequest outer && !outer.use().isFinished()) {
      nested(outer, request, response, chain);
      return;
    }
    SessionUse use =
        existing instanceof GridSessionRequest previous
            ? previous.use().continuation(request)
            : SessionUse.start(app, request);
    GridSessionResponse wrappedResponse = new GridSessionResponse(response, use, request);
    GridSessionRequest wrappedRequest = new GridSessionRequest(request, use, wrappedResponse);
    request.setAttribute(GridSessionRequest.ATTRIBUTE, wrappedRequest);
    try {
      chain.doFilter(wrappedRequest, wrappedResponse);
    } catch (RuntimeException | ServletException e) {
      if (!FailureResponses.sendRefusal(response, e)) {
        throw e;
      }
    } finally {
      if (request.isAsyncStarted()) {
        wrappedResponse.commitSoFar();
      } else {
        wrappedRequest.finish();
      }
    }
  }

  private static void nested(
      GridSessionRequest outer,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    ServletRequest req =
        isWrapperOf(request, GridSessionRequest.class)
            ? request
            : new GridSessionRequest(request, outer.use(), outer.response());
    ServletResponse res =
        isWrapperOf(response, GridSessionResponse.class)
            ? response
            : new GridSessionResponse(response, outer.use(), request);
    try {
      chain.doFilter(req, res);
    } finally {
      if (request.getDispatcherType() == DispatcherType.ASYNC && !request.isAsyncStarted()) {
        outer.finish();
      }
    }
  }

  private static boolean isWrapperOf(ServletRequest r, Class<?> type) {
    return type.isInstance(r) || (r instanceof ServletRequestWrapper w && w.isWrapperFor(type));
  }

  private static boolean isWrapperOf(ServletResponse r, Class<?> type) {
    return type.isInstance(r) || (r instanceof ServletResponseWrapper w && w.isWrapperFor(type));
  }
}
