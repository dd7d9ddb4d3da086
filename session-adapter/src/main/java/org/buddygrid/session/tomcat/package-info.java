/**
 * Tomcat mode: {@link org.buddygrid.session.tomcat.BuddyGridManager}, a native Tomcat {@code
 * Manager} (Tomcat 10.1 and 11) whose sessions live in BuddyGrid, configured in {@code
 * context.xml}. Everything else in this package is its implementation: the per-request session use,
 * the valve that commits before the response, and the bridge from the grid's events to Tomcat's
 * listeners.
 */
package org.buddygrid.session.tomcat;
