package dev.tessera.deviceplugin.deviceid;

/**
 * No preferred allocation can be built for a container; the server answers with no preference for
 * it (hami-compat §8.5). The message names the annotated UUID that could not be placed.
 */
public final class PreferredAllocationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PreferredAllocationException(String message) {
    super(message);
  }
}
