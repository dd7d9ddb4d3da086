package org.buddygrid.session.conformance;

/**
 * Guards the suite's non-reference branches: runs the checks whose expectations depend on {@link
 * Property#URL_SESSION_TRACKING}, {@link Property#ONLY_NODE_RESTART} and {@link
 * Property#LAST_ACCESSED_TIME_MARK} against Tomcat configured to differ there ({@link
 * TomcatVariantMode}), so the expectations other modes will meet are known to match what a real
 * container does. Also shows a mode with a differences register.
 */
class TomcatVariantConformanceTest extends ConformanceHarness
    implements UrlTrackingChecks,
        LastAccessedTimeChecks,
        ActivationChecks,
        DifferencesRegisterChecks {

  @Override
  protected SessionMode createMode() {
    return new TomcatVariantMode();
  }
}
