package org.buddygrid.session.conformance;

/**
 * Runs every conformance check against BuddyGrid filter mode ({@link FilterMode}): a single node on
 * the loopback stack, installed through the initializer and context parameters.
 */
class FilterConformanceTest extends SessionConformanceSuite {

  @Override
  protected SessionMode createMode() {
    return new FilterMode();
  }
}
