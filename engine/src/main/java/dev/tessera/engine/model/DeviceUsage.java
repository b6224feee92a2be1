package dev.tessera.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A GPU together with what is booked on it: the scheduler's view of one device (HAMi's {@code
 * DeviceUsage}). Immutable; {@link #plus} returns the usage after one more container device.
 *
 * @param device the registered GPU
 * @param used sharing slots in use
 * @param usedMemMiB booked memory, MiB
 * @param usedCores booked compute, percent
 * @param migInUse MIG instances in use (only for {@code mig} mode)
 */
public record DeviceUsage(
    GpuDevice device, int used, int usedMemMiB, int usedCores, List<MigAllocation> migInUse) {
  public DeviceUsage {
    migInUse = migInUse == null ? List.of() : List.copyOf(migInUse);
  }

  public static DeviceUsage idle(GpuDevice device) {
    return new DeviceUsage(device, 0, 0, 0, List.of());
  }

  public String id() {
    return device.uuid();
  }

  public int index() {
    return device.index();
  }

  public String type() {
    return device.type();
  }

  public String mode() {
    return device.mode();
  }

  public int numa() {
    return device.numa();
  }

  public boolean healthy() {
    return device.healthy();
  }

  public int count() {
    return device.splitCount();
  }

  public int totalMemMiB() {
    return device.memoryMiB();
  }

  public int totalCores() {
    return device.cores();
  }

  /** Usage after booking {@code slots} more slots, {@code memMiB} and {@code cores}. */
  public DeviceUsage plus(int slots, int memMiB, int cores) {
    return new DeviceUsage(device, used + slots, usedMemMiB + memMiB, usedCores + cores, migInUse);
  }

  /** Usage after booking one MIG instance. */
  public DeviceUsage plusMig(MigAllocation allocation, int memMiB, int cores) {
    var mig = new ArrayList<>(migInUse);
    mig.add(allocation);
    return new DeviceUsage(device, used + 1, usedMemMiB + memMiB, usedCores + cores, mig);
  }

  public DeviceUsage withHealth(boolean healthy) {
    var d = device;
    return new DeviceUsage(
        new GpuDevice(
            d.uuid(),
            d.index(),
            d.type(),
            d.memoryMiB(),
            d.cores(),
            d.splitCount(),
            d.numa(),
            healthy,
            d.mode(),
            d.migProfiles()),
        used,
        usedMemMiB,
        usedCores,
        migInUse);
  }
}
