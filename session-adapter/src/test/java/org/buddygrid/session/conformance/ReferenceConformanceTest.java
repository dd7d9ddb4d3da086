package org.buddygrid.session.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guards the conformance suite itself against the reference: embedded Tomcat's own {@code
 * StandardManager}. Every check must pass here, with no declared difference; a failure means the
 * suite's expectation is wrong (or Tomcat changed), not the adapter.
 */
class ReferenceConformanceTest extends SessionConformanceSuite {

  @Override
  protected SessionMode createMode() {
    return new ReferenceMode();
  }

  @Test
  void referenceDeclaresNoDifferences() {
    assertThat(mode().differences().list()).isEmpty();
  }
}
