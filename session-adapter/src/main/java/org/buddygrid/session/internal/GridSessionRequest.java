package org.buddygrid.session.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * The request of a request in filter mode: its session is the BuddyGrid one, and asynchronous
 * processing commits it when it completes.
 *
 * <p>{@code startAsync()} starts with these wrappers (not the container's originals), so code on
 * other threads reaches the same session through {@link AsyncContext#getRequest()}; {@link
 * AsyncContext#complete()} commits the session before the container completes the response, and an
 * {@link AsyncListener} commits what is left when the container completes it on its own (a timeout
 * or an error).
 */
final class GridSessionRequest extends HttpServletRequestWrapper {
  /** The request attribute that holds the outermost wrapper of a request. */
  static final String ATTRIBUTE = GridSessionRequest.class.getName();

  private final SessionUse use;
  private final GridSessionResponse response;
  private volatile GridAsyncContext async;

  GridSessionRequest(HttpServletRequest request, SessionUse use, GridSessionResponse response) {
    super(request);
    this.use = use;
    this.response = response;
  }

  SessionUse use() {
    return use;
  }

  GridSessionResponse response() {
    return response;
  }

  @Override
  public HttpSession getSession() {
    return getSession(true);
  }

  @Override
  public HttpSession getSession(boolean create) {
    return use.session(create, response::isCommittedForSessions);
  }

  @Override
  public String changeSessionId() {
    return use.changeSessionId();
  }

  @Override
  public String getRequestedSessionId() {
    return use.requestedId();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return use.isRequestedIdValid();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return use.isRequestedIdFromCookie();
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return use.isRequestedIdFromUrl();
  }

  @Override
  public AsyncContext startAsync() {
    return startAsync(this, response);
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
    AsyncContext started = super.startAsync(request, servletResponse);
    started.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            finish();
          }

          @Override
          public void onTimeout(AsyncEvent event) {}

          @Override
          public void onError(AsyncEvent event) {}

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
    GridAsyncContext wrapped = new GridAsyncContext(started, this);
    async = wrapped;
    return wrapped;
  }

  @Override
  public AsyncContext getAsyncContext() {
    GridAsyncContext a = async;
    AsyncContext current = super.getAsyncContext();
    return a != null && a.wraps(current) ? a : current;
  }

  /** The request is complete: commit, then let later accesses commit themselves. */
  void finish() {
    if (!use.isFinished()) {
      response.finish();
      use.finish();
    }
  }
}
