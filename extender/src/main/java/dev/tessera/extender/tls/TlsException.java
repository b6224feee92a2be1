package dev.tessera.extender.tls;

/** TLS material that cannot be used; the message names the file and what was expected. */
public final class TlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
