package org.buddygrid.jgroups.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.buddygrid.jgroups.JGroupsStack;

/**
 * The test-only stores for the {@code secure} stack in {@code src/test/resources/secure-stores}
 * (see its README): one cluster's trust store, AES key and node key stores, and an intruder's.
 */
public final class SecureStores {
  /** The password of every test store. */
  public static final String PASSWORD = "buddygrid-test";

  private SecureStores() {}

  /** The test store {@code name}, e.g. {@code node1.p12}. */
  public static Path store(String name) {
    URL url = SecureStores.class.getResource("/secure-stores/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test store " + name + " in secure-stores/");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code stack} with the named key store, trust store and AES key store. */
  public static JGroupsStack with(
      JGroupsStack stack, String keystore, String truststore, String encrypt) {
    return stack
        .withTls(store(keystore), PASSWORD, store(truststore), PASSWORD)
        .withEncryptionKey(store(encrypt), PASSWORD);
  }

  /** {@code stack} with the stores of the test cluster's member {@code node1}. */
  public static JGroupsStack member(JGroupsStack stack) {
    return with(stack, "node1.p12", "truststore.p12", "encrypt.p12");
  }
}
