package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/make-secure-stores.sh} makes what the {@code secure} stack reads: a trust store with
 * the CA, a node key store whose certificate the CA signed, and a 256-bit AES key; the CA's key
 * stays in its own store.
 */
class SecureStoresScriptTest {
  private static final String PASSWORD = "script-test-password";

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theScriptMakesACaSignedNodeStoreATrustStoreAndAnAesKey() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash", Path.of("bin", "make-secure-stores.sh").toString(), dir.toString(), "node1")
            .redirectErrorStream(true);
    builder.environment().put("KEYTOOL", keytool.toString());
    builder.environment().put("BUDDYGRID_STORE_PASSWORD", PASSWORD);
    Process process = builder.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      if (!process.waitFor(4, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    }
    assertThat(process.exitValue()).as(output).isZero();

    KeyStore trust = load(dir.resolve("truststore.p12"));
    X509Certificate ca = (X509Certificate) trust.getCertificate("ca");
    assertThat(ca).as("CA certificate in the trust store").isNotNull();
    assertThat(trust.size()).isEqualTo(1);

    KeyStore node = load(dir.resolve("node1.p12"));
    assertThat(node.isKeyEntry("node1")).isTrue();
    Certificate[] chain = node.getCertificateChain("node1");
    assertThat(chain).hasSize(2);
    X509Certificate leaf = (X509Certificate) chain[0];
    leaf.verify(ca.getPublicKey());
    leaf.checkValidity();
    assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=node1");
    assertThat(leaf.getExtendedKeyUsage())
        .contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // serverAuth, clientAuth

    KeyStore encrypt = load(dir.resolve("encrypt.p12"));
    Key key = encrypt.getKey("buddygrid", PASSWORD.toCharArray());
    assertThat(key).isInstanceOf(SecretKey.class);
    assertThat(key.getAlgorithm()).isEqualTo("AES");
    assertThat(key.getEncoded()).hasSize(32);

    assertThat(dir.resolve("ca.p12")).exists();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "ca.p12", "ca.crt", "truststore.p12", "encrypt.p12", "node1.p12");
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
  }
}
