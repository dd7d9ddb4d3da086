package org.buddygrid.session;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.EventListener;
import java.util.List;
import org.buddygrid.session.internal.FilterMode;
import org.buddygrid.session.internal.WebAppGrid;

/**
 * Filter mode: every request of the web application gets a BuddyGrid-backed {@code HttpSession}, in
 * any Jakarta Servlet 6 container. Installed by {@link BuddyGridInitializer} when {@code
 * buddygrid.enabled=true}, or declared in {@code web.xml} (first in the chain, every dispatcher
 * type, {@code async-supported}).
 *
 * <p>Guarantees: one session grid per web application, joined when the web application starts
 * (installed by {@link BuddyGridInitializer}) or in {@link #init} (declared in {@code web.xml}),
 * and left gracefully in {@link #destroy} or when the web application stops, whichever comes first
 * (owned sessions are handed to other nodes first); a session's changes are committed before the
 * response can send its first byte, and a commit that is not durable is answered with an error,
 * never acknowledged (see the module's README for the status codes); a session id the grid does not
 * hold is never adopted. Invalid settings fail {@link #init} with every problem listed.
 */
public final class BuddyGridFilter implements Filter {
  private final BuddyGridSettings preset;
  private final List<EventListener> presetListeners;
  private volatile FilterMode mode;

  /** For {@code web.xml}: settings are read in {@link #init}, filter init parameters included. */
  public BuddyGridFilter() {
    this(null, List.of());
  }

  BuddyGridFilter(BuddyGridSettings settings, List<EventListener> listeners) {
    this.preset = settings;
    this.presetListeners = List.copyOf(listeners);
  }

  @Override
  public synchronized void init(FilterConfig config) throws ServletException {
    if (mode != null) {
      return; // started with the web application by the initializer
    }
    ServletContext context = config.getServletContext();
    try {
      BuddyGridSettings settings = preset;
      List<EventListener> listeners = presetListeners;
      if (settings == null) {
        settings =
            BuddyGridSettings.load(
                WebAppConfig.sources(
                    context,
                    WebAppConfig.params(
                        Collections.list(config.getInitParameterNames()),
                        config::getInitParameter)));
        listeners = WebAppConfig.listeners(settings, context);
      }
      mode = new FilterMode(WebAppGrid.start(context, settings, listeners));
    } catch (RuntimeException e) {
      throw new ServletException("BuddyGrid filter mode could not start: " + e.getMessage(), e);
    }
  }

  /**
   * Joins the grid when the web application starts, for a filter the initializer installed:
   * containers may initialize filters only at the first request (Undertow does), and a node must be
   * in the grid, holding backups, before anyone asks it for anything.
   */
  synchronized void startWith(ServletContext context) {
    if (mode == null) {
      try {
        mode = new FilterMode(WebAppGrid.start(context, preset, presetListeners));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "BuddyGrid filter mode could not start: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    FilterMode m = mode;
    if (m != null
        && request instanceof HttpServletRequest req
        && response instanceof HttpServletResponse res) {
      m.handle(req, res, chain);
    } else {
      chain.doFilter(request, response);
    }
  }

  @Override
  public synchronized void destroy() {
    FilterMode m = mode;
    mode = null;
    if (m != null) {
      m.app().close();
    }
  }
}
