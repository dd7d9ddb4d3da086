package org.buddygrid.session.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.buddygrid.session.conformance.app.SessionListeners;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the checks of the interfaces a subclass implements against one {@link SessionMode}: one
 * embedded Tomcat with the test application, started before the class's first check and stopped
 * after its last. Checks start from fresh browsers (no cookie), so they never see each other's
 * sessions; those that read events filter them by session id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ConformanceHarness implements ConformanceFixture {

  /** The package pattern of the test application's attribute values. */
  static final String APP_CLASSES = "org.buddygrid.session.conformance.app.*";

  private SessionMode mode;
  private ModeSettings settings;
  private ConformanceServer server;

  /** The mode this class tests; called once, before the server starts. */
  protected abstract SessionMode createMode();

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void startServer(@TempDir Path baseDir) throws Exception {
    mode = createMode();
    settings =
        new ModeSettings(
            SessionListeners.declared(),
            "conformance-" + mode.name() + "-" + UUID.randomUUID(),
            ROUTE,
            Duration.ofSeconds(1),
            APP_CLASSES);
    server = ConformanceServer.start(mode, settings, baseDir, "app-" + UUID.randomUUID());
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void stopServer() throws Exception {
    if (server != null) {
      server.closeAndDiscardEvents();
    }
  }

  @Override
  public ConformanceServer server() {
    return server;
  }

  @Override
  public SessionMode mode() {
    return mode;
  }

  @Override
  public ConformanceServer startIsolatedServer(Path baseDir, String appId) throws Exception {
    ModeSettings own =
        new ModeSettings(
            settings.listeners(),
            settings.cluster() + "-" + appId,
            settings.route(),
            settings.expirySweep(),
            settings.attributeClasses());
    return ConformanceServer.start(mode, own, baseDir, appId);
  }
}
