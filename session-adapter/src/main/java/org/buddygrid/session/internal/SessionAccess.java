package org.buddygrid.session.internal;

/**
 * Told around every access to a session through its {@link GridHttpSession} facade, so the owner of
 * the facade knows when the session was used and can commit what the access changed.
 */
public interface SessionAccess {
  /** An access that nothing tracks (a listener's view of a session). */
  SessionAccess NONE =
      new SessionAccess() {
        @Override
        public void before() {}

        @Override
        public void after() {}
      };

  /** Before the access: the session is in use from here on. */
  void before();

  /** After the access (also when it threw). */
  void after();
}
