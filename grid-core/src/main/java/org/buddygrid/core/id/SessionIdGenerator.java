package org.buddygrid.core.id;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Makes new session ids: 144 random bits from {@link SecureRandom} (24 URL-safe base64 characters)
 * plus the node's route. Thread-safe.
 */
public final class SessionIdGenerator {
  /** Random bytes per id: 18 bytes = 144 bits = exactly 24 base64 characters, no padding. */
  public static final int RANDOM_BYTES = 18;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random;

  public SessionIdGenerator() {
    this(new SecureRandom());
  }

  /** With a given source of randomness (tests); it must be a {@link SecureRandom}. */
  public SessionIdGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A new base, unique with overwhelming probability. */
  public String newBase() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** A new id for a session owned by {@code route}. */
  public SessionId newId(String route) {
    return new SessionId(newBase(), route);
  }
}
