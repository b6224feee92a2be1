package dev.tessera.engine.usage;

/**
 * One device's total booking by one pod after collapsing its containers (hami-compat §7.10).
 *
 * @param uuid GPU UUID
 * @param type vendor key of the entries, e.g. {@code NVIDIA}
 * @param usedMemMiB memory the pod holds on the device at its peak, MiB
 * @param usedCores compute the pod holds at its peak, percent
 * @param slots sharing slots the pod occupies concurrently (≥ 1)
 */
public record CollapsedDevice(String uuid, String type, int usedMemMiB, int usedCores, int slots) {}
