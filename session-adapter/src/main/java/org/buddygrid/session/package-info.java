/**
 * HttpSession on BuddyGrid: the public API of the session adapter.
 *
 * <p>{@link org.buddygrid.session.BuddyGridFilter} and {@link
 * org.buddygrid.session.BuddyGridInitializer} install filter mode in any Jakarta Servlet 6
 * container; {@link org.buddygrid.session.BuddyGridSettings} holds every setting, read from {@link
 * org.buddygrid.session.SettingsSource}s; {@link org.buddygrid.session.BuddyGridSessions} registers
 * session listeners and shows whether filter mode runs. No type here exposes JGroups or Kryo.
 */
package org.buddygrid.session;
