package dev.tessera.engine.model;

/**
 * What one container asks of one device vendor (HAMi's {@code ContainerDeviceRequest}).
 *
 * @param count number of distinct GPUs ({@code nvidia.com/gpu})
 * @param type vendor key, {@code NVIDIA}
 * @param memoryMiB memory per GPU, MiB; 0 when given as a percentage
 * @param memoryPercent memory per GPU as percent of the card; {@link #PERCENT_UNSET} (101) when not
 *     set
 * @param cores compute per GPU, percent
 */
public record GpuRequest(int count, String type, int memoryMiB, int memoryPercent, int cores) {
  /** HAMi's sentinel for "no percentage given". */
  public static final int PERCENT_UNSET = 101;

  public static final String NVIDIA = "NVIDIA";

  /** The empty request of a container that uses no GPU of this vendor. */
  public static final GpuRequest NONE = new GpuRequest(0, "", 0, 0, 0);

  public boolean isEmpty() {
    return count == 0;
  }

  /** Memory this request books on a GPU of {@code totalMemMiB}: MiB wins over percent. */
  public int memoryOn(int totalMemMiB) {
    if (memoryMiB > 0) {
      return memoryMiB;
    }
    if (memoryPercent != PERCENT_UNSET) {
      return (int) ((long) totalMemMiB * memoryPercent / 100);
    }
    return 0;
  }

  public GpuRequest withCores(int newCores) {
    return new GpuRequest(count, type, memoryMiB, memoryPercent, newCores);
  }
}
