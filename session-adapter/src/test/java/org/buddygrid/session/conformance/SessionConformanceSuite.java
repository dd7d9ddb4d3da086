package org.buddygrid.session.conformance;

/**
 * The differential HttpSession conformance suite: every check, run against one {@link SessionMode}.
 * A mode is tested by a one-method subclass:
 *
 * <pre>{@code
 * class FilterConformanceTest extends SessionConformanceSuite {
 *   @Override
 *   protected SessionMode createMode() {
 *     return new FilterMode();
 *   }
 * }
 * }</pre>
 */
public abstract class SessionConformanceSuite extends ConformanceHarness
    implements SessionCreationChecks,
        IdAndCookieChecks,
        UrlTrackingChecks,
        AttributeChecks,
        InvalidationChecks,
        ListenerChecks,
        ChangeSessionIdChecks,
        TimeoutChecks,
        LastAccessedTimeChecks,
        ConcurrencyChecks,
        ActivationChecks,
        DifferencesRegisterChecks {}
