package org.buddygrid.session.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The session listeners of one web application, in the order the Servlet specification calls them:
 * those declared in {@code buddygrid.listeners} in declaration order, then those registered through
 * {@code BuddyGridSessions.addListener} in registration order. Thread-safe; listeners may be added
 * while sessions are in use. Shared by filter mode and the Tomcat manager.
 */
public final class SessionListenerRegistry {
  /** The servlet context attribute that holds a web application's registry. */
  public static final String ATTRIBUTE = SessionListenerRegistry.class.getName();

  private final List<EventListener> declared = new CopyOnWriteArrayList<>();
  private final List<EventListener> registered = new CopyOnWriteArrayList<>();

  /** The listeners by kind, in order; rebuilt when listeners change, read for every event. */
  private volatile ByKind byKind = new ByKind(List.of(), List.of(), List.of());

  private record ByKind(
      List<HttpSessionListener> sessions,
      List<HttpSessionAttributeListener> attributes,
      List<HttpSessionIdListener> ids) {}

  /** The registry of {@code context}, created on first use. */
  public static SessionListenerRegistry of(ServletContext context) {
    synchronized (context) {
      Object existing = context.getAttribute(ATTRIBUTE);
      if (existing instanceof SessionListenerRegistry r) {
        return r;
      }
      SessionListenerRegistry r = new SessionListenerRegistry();
      context.setAttribute(ATTRIBUTE, r);
      return r;
    }
  }

  /**
   * Sets the listeners from {@code buddygrid.listeners} (called before those registered by API),
   * replacing those of an earlier start.
   */
  public void declareAll(List<EventListener> listeners) {
    List<EventListener> checked = new ArrayList<>();
    listeners.forEach(l -> checked.add(requireSessionListener(l)));
    synchronized (declared) {
      declared.clear();
      declared.addAll(checked);
      rebuild();
    }
  }

  /** Adds a listener registered through the API. */
  public void register(EventListener listener) {
    EventListener checked = requireSessionListener(listener);
    synchronized (declared) {
      registered.add(checked);
      rebuild();
    }
  }

  private void rebuild() {
    byKind =
        new ByKind(
            ofType(HttpSessionListener.class),
            ofType(HttpSessionAttributeListener.class),
            ofType(HttpSessionIdListener.class));
  }

  /**
   * Checks that {@code listener} is one this registry can call.
   *
   * @throws IllegalArgumentException if it implements none of {@link HttpSessionListener}, {@link
   *     HttpSessionAttributeListener} and {@link HttpSessionIdListener}
   */
  public static EventListener requireSessionListener(EventListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (!(listener instanceof HttpSessionListener
        || listener instanceof HttpSessionAttributeListener
        || listener instanceof HttpSessionIdListener)) {
      throw new IllegalArgumentException(
          listener.getClass().getName()
              + " implements none of HttpSessionListener, HttpSessionAttributeListener and"
              + " HttpSessionIdListener (binding and activation listeners are attribute values,"
              + " not registered)");
    }
    return listener;
  }

  /**
   * A listener class named in {@code buddygrid.listeners}, loaded by {@code loader}.
   *
   * @throws IllegalArgumentException saying why the class cannot be used
   */
  public static Class<? extends EventListener> listenerClass(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "buddygrid.listeners names " + className + ", which the web application cannot load");
    }
    if (!EventListener.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "buddygrid.listeners names " + className + ", which is not a session listener");
    }
    return type.asSubclass(EventListener.class);
  }

  /** An instance made with the public no-argument constructor. */
  public static EventListener instantiate(Class<? extends EventListener> type) {
    try {
      return requireSessionListener(type.getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "buddygrid.listeners names "
              + type.getName()
              + ", which cannot be made: it needs a public no-argument constructor ("
              + e
              + ")");
    }
  }

  /** The session listeners, in order (unmodifiable). */
  List<HttpSessionListener> sessionListeners() {
    return byKind.sessions();
  }

  /** The attribute listeners, in order (unmodifiable). */
  List<HttpSessionAttributeListener> attributeListeners() {
    return byKind.attributes();
  }

  /** The id listeners, in order (unmodifiable). */
  List<HttpSessionIdListener> idListeners() {
    return byKind.ids();
  }

  private <T> List<T> ofType(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (List<EventListener> group : List.of(declared, registered)) {
      for (EventListener l : group) {
        if (type.isInstance(l)) {
          out.add(type.cast(l));
        }
      }
    }
    return List.copyOf(out);
  }
}
