package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionListener;

/** Tells the registered {@link SessionListener}s; a listener that throws is logged and skipped. */
final class Events {
  private static final System.Logger LOG = System.getLogger(Events.class.getName());

  private final Engine engine;
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

  Events(Engine engine) {
    this.engine = engine;
  }

  void add(SessionListener l) {
    listeners.add(l);
  }

  private void fire(Consumer<SessionListener> call) {
    for (SessionListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, engine.route() + ": session listener " + l + " failed", e);
      }
    }
  }

  private GridSession view(OwnedSession s) {
    return new Handle(s, engine, false);
  }

  void created(OwnedSession s) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.sessionCreated(v));
    }
  }

  void destroyed(OwnedSession s, SessionListener.Ending ending) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.sessionDestroyed(v, ending));
    }
  }

  void added(OwnedSession s, String name, Object value) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.attributeAdded(v, name, value));
    }
  }

  void replaced(OwnedSession s, String name, Object old, Object value) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.attributeReplaced(v, name, old, value));
    }
  }

  void removed(OwnedSession s, String name, Object old) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.attributeRemoved(v, name, old));
    }
  }

  void willPassivate(OwnedSession s) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.sessionWillPassivate(v));
    }
  }

  void didActivate(OwnedSession s) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.sessionDidActivate(v));
    }
  }

  void idChanged(OwnedSession s, String oldId) {
    if (!listeners.isEmpty()) {
      GridSession v = view(s);
      fire(l -> l.sessionIdChanged(v, oldId));
    }
  }
}
