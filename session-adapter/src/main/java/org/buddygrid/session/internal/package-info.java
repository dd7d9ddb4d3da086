/**
 * The session adapter's implementation: not API, and free to change. Shared by filter mode and the
 * Tomcat manager: {@link org.buddygrid.session.internal.SessionCookies}, {@link
 * org.buddygrid.session.internal.SessionListenerRegistry}, {@link
 * org.buddygrid.session.internal.SessionEventDispatcher} and {@link
 * org.buddygrid.session.internal.GridHttpSession}.
 */
package org.buddygrid.session.internal;
