package org.buddygrid.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link SessionId#parse}, the parser of every session id a client
 * sends. For any string (the input's bytes as UTF-8): parsing never throws; an id it accepts is at
 * most {@link SessionId#MAX_LENGTH} characters of {@code [A-Za-z0-9_.-]}, prints back as exactly
 * the input and parses again to an equal id.
 */
class SessionIdFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse(byte[] input) {
    String value = new String(input, StandardCharsets.UTF_8);
    Optional<SessionId> parsed = SessionId.parse(value);
    if (parsed.isEmpty()) {
      return;
    }
    SessionId id = parsed.get();
    assertThat(id.toString()).isEqualTo(value);
    assertThat(value).hasSizeLessThanOrEqualTo(SessionId.MAX_LENGTH).matches("[A-Za-z0-9_.-]+");
    assertThat(SessionId.parse(id.toString())).contains(id);
  }
}
