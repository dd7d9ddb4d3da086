package org.buddygrid.session.conformance;

/** Runs every check of the suite against Tomcat mode ({@link TomcatMode}). */
class TomcatConformanceTest extends SessionConformanceSuite {

  @Override
  protected SessionMode createMode() {
    return new TomcatMode();
  }
}
