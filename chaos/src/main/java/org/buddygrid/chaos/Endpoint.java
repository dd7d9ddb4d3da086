package org.buddygrid.chaos;

/** A node as the clients see it: its route, its HTTP base URL, and whether it is running. */
interface Endpoint {
  String route();

  /** {@code http://127.0.0.1:<port>/}. */
  String url();

  boolean isAlive();
}
