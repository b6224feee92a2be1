package dev.tessera.extender.tls;

import io.kubernetes.client.util.SSLUtils;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server certificate and key held in an in-memory key store: the one loader of PEM files for
 * every HTTPS server of the extender module (the extender verbs and the admission webhook).
 *
 * @param keyStore PKCS#12 store with one key entry
 * @param password the store's and the key's password (random, never written anywhere)
 * @param certificate the leaf certificate (the API server must trust it, or its issuer)
 */
public record TlsMaterial(KeyStore keyStore, char[] password, X509Certificate certificate) {
  private static final String ALIAS = "tessera-webhook";

  public TlsMaterial {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(certificate, "certificate");
  }

  /**
   * Reads a PEM certificate (chain) and a PEM private key (PKCS#8, PKCS#1 RSA or EC), as
   * cert-manager or {@code kubectl create secret tls} produce them.
   *
   * @throws TlsException naming the file that could not be read or parsed
   */
  public static TlsMaterial fromPem(Path certFile, Path keyFile) {
    byte[] cert = read(certFile, "--tls-cert");
    byte[] key = read(keyFile, "--tls-key");
    String algo;
    try {
      algo = SSLUtils.recognizePrivateKeyAlgo(key);
    } catch (RuntimeException e) {
      throw new TlsException(
          "--tls-key " + keyFile + ": expected a PEM private key (PKCS#8, RSA or EC)", e);
    }
    if (algo == null) {
      algo = "RSA";
    }
    char[] password = randomPassword();
    KeyStore ks;
    try {
      ks = SSLUtils.createKeyStore(cert, key, algo, "", null, new String(password));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new TlsException(
          "--tls-cert "
              + certFile
              + " / --tls-key "
              + keyFile
              + ": expected a PEM certificate and its matching PEM private key: "
              + e.getMessage(),
          e);
    }
    try {
      String alias = ks.aliases().nextElement();
      // Re-store under one alias with the random password on the key too.
      KeyStore out = KeyStore.getInstance("PKCS12");
      out.load(null, password);
      Certificate[] chain = ks.getCertificateChain(alias);
      // client-java stores the key entry under the (empty) key passphrase, not the store's.
      out.setKeyEntry(ALIAS, ks.getKey(alias, new char[0]), password, chain);
      return new TlsMaterial(out, password, (X509Certificate) chain[0]);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new TlsException(
          "--tls-cert " + certFile + " / --tls-key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * A fresh RSA 2048 key and a self-signed certificate for {@code dnsNames} (the first is the
   * subject CN; {@code localhost} and {@code 127.0.0.1} are always added), valid from {@code
   * clock}'s now for {@code validity}. For development only: the API server must be given this
   * certificate as the webhook's {@code caBundle}.
   */
  public static TlsMaterial selfSigned(List<String> dnsNames, Clock clock, Duration validity) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      KeyPair pair = gen.generateKeyPair();
      var names = new ArrayList<GeneralName>();
      var dns = new ArrayList<>(dnsNames);
      if (!dns.contains("localhost")) {
        dns.add("localhost");
      }
      for (String n : dns) {
        names.add(new GeneralName(GeneralName.dNSName, n));
      }
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      X500Name subject = new X500Name("CN=" + dns.get(0));
      Instant now = clock.instant();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
      char[] password = randomPassword();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, password);
      ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {cert});
      return new TlsMaterial(ks, password, cert);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new TlsException("generating a self-signed certificate failed: " + e.getMessage(), e);
    }
  }

  /** Key managers presenting this certificate, for servers that build their own TLS context. */
  public KeyManagerFactory keyManagerFactory() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password);
      return kmf;
    } catch (GeneralSecurityException e) {
      throw new TlsException("the key store cannot serve TLS: " + e.getMessage(), e);
    }
  }

  /** A TLS 1.2+ server context presenting this certificate. */
  public SSLContext serverContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagerFactory().getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new TlsException("the key store cannot serve TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The certificate in PEM, what a webhook configuration's {@code caBundle} holds (base64 of it).
   */
  public String certificatePem() {
    try {
      var w = new StringWriter();
      w.write("-----BEGIN CERTIFICATE-----\n");
      w.write(
          Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()));
      w.write("\n-----END CERTIFICATE-----\n");
      return w.toString();
    } catch (GeneralSecurityException e) {
      throw new TlsException("the certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String flag) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsException(flag + " " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static char[] randomPassword() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b).toCharArray();
  }
}
