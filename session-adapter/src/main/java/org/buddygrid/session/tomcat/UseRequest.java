package org.buddygrid.session.tomcat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.util.function.Supplier;

/**
 * The request the application gets in Tomcat mode ({@code Request.setRequest}). Its session calls
 * count as the request's own on any thread (so an asynchronous part may take its session over as
 * the first part could), and its {@link AsyncContext} commits the session before {@code complete()}
 * lets Tomcat finish the response; a listener commits what is left when Tomcat completes the
 * request by itself (a timeout, an error), after the response.
 */
final class UseRequest extends HttpServletRequestWrapper {
  private final RequestUse use;
  private volatile Async async;

  UseRequest(HttpServletRequest request, RequestUse use) {
    super(request);
    this.use = use;
  }

  private <T> T asThisRequest(Supplier<T> call) {
    TomcatGrid grid = use.grid();
    RequestUse previous = grid.bind(use);
    try {
      return call.get();
    } finally {
      grid.unbind(previous);
    }
  }

  @Override
  public HttpSession getSession() {
    return asThisRequest(super::getSession);
  }

  @Override
  public HttpSession getSession(boolean create) {
    return asThisRequest(() -> super.getSession(create));
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return asThisRequest(super::isRequestedSessionIdValid);
  }

  @Override
  public String changeSessionId() {
    return asThisRequest(super::changeSessionId);
  }

  @Override
  public AsyncContext startAsync() {
    return wrap(super.startAsync());
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    return wrap(super.startAsync(request, response));
  }

  @Override
  public AsyncContext getAsyncContext() {
    Async a = async;
    AsyncContext current = super.getAsyncContext();
    return a != null && a.delegate == current ? a : current;
  }

  private AsyncContext wrap(AsyncContext started) {
    started.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            use.end();
          }

          @Override
          public void onTimeout(AsyncEvent event) {}

          @Override
          public void onError(AsyncEvent event) {}

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
    Async wrapped = new Async(started, use);
    async = wrapped;
    return wrapped;
  }

  /** The container's {@link AsyncContext}, with the session committed before {@link #complete}. */
  private static final class Async implements AsyncContext {
    private final AsyncContext delegate;
    private final RequestUse use;

    Async(AsyncContext delegate, RequestUse use) {
      this.delegate = delegate;
      this.use = use;
    }

    @Override
    public ServletRequest getRequest() {
      return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      delegate.dispatch(context, path);
    }

    @Override
    public void complete() {
      use.end();
      delegate.complete();
    }

    @Override
    public void start(Runnable run) {
      delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest req, ServletResponse res) {
      delegate.addListener(listener, req, res);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
      return delegate.createListener(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
      delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return delegate.getTimeout();
    }
  }
}
