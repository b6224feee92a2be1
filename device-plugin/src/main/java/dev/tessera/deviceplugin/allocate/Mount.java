package dev.tessera.deviceplugin.allocate;

/**
 * One bind mount of an Allocate container response.
 *
 * @param containerPath path inside the container
 * @param hostPath path on the host
 * @param readOnly whether the mount is read-only
 */
public record Mount(String containerPath, String hostPath, boolean readOnly) {}
