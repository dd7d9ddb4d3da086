package org.buddygrid.session.conformance;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * One HttpSession implementation under test: it installs itself on an embedded Tomcat before the
 * server starts. The conformance suite deploys the same test application and runs the same checks
 * on every mode; {@link ReferenceMode} (Tomcat's own {@code StandardManager}) defines what is
 * right, and a mode declares where it deliberately behaves otherwise in {@link #differences()}.
 */
public interface SessionMode {

  /** A short name for reports, e.g. {@code reference}, {@code filter}, {@code tomcat}. */
  String name();

  /**
   * Installs this session implementation on a context that has the test application's servlets but
   * has not started. The mode must also register {@link ModeSettings#listeners()} so that they get
   * the session events (on the context, or handed to the implementation), and make sessions expire
   * within about {@link ModeSettings#expirySweep()} after their max inactive interval.
   *
   * @param tomcat the server, not started (e.g. for the engine's {@code jvmRoute})
   * @param context the test application's context ({@link ConformanceServer#CONTEXT_PATH})
   * @param settings what the test application and the harness need from the mode
   */
  void configure(Tomcat tomcat, Context context, ModeSettings settings) throws Exception;

  /**
   * Where this mode deliberately differs from the reference, each with its reason. Empty for the
   * reference, and for any mode that matches it in every check.
   */
  default Differences differences() {
    return Differences.none();
  }
}
