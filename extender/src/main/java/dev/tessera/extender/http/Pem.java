package dev.tessera.extender.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Loads a PEM certificate chain and PKCS#8 private key (what cert-manager and kubectl write). */
public final class Pem {
  private Pem() {}

  /**
   * A key manager for {@code cert} and {@code key}.
   *
   * @throws IllegalArgumentException naming the file when either cannot be used
   */
  public static KeyManagerFactory keyManager(Path cert, Path key) {
    List<Certificate> chain = certificates(cert);
    PrivateKey privateKey = privateKey(key);
    try {
      char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("tessera", privateKey, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return kmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          cert + ", " + key + ": key does not match the certificate: " + e.getMessage(), e);
    }
  }

  /** An SSL context serving {@code cert} with {@code key}. */
  public static SSLContext sslContext(Path cert, Path key) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManager(cert, key).getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path cert) {
    try (InputStream in = Files.newInputStream(cert)) {
      List<Certificate> certs =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(cert + ": no PEM certificate found");
      }
      return certs;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          cert + ": expected a PEM certificate chain: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path key) {
    String text;
    try {
      text = Files.readString(key, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ": cannot read: " + e.getMessage(), e);
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          key
              + ": expected a PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    var spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(key + ": not an RSA, EC or Ed25519 PKCS#8 key");
  }
}
