package dev.tessera.sim.run;

/**
 * The pod classes the report counts pending and dropped pods by (issue 5): CPU-only, sharing one
 * GPU, and whole-GPU pods by GPU count ({@code OTHER_GPU} covers counts other than 1, 2, 4 and 8).
 */
public enum PodClass {
  CPU_ONLY("cpu-only"),
  SHARING("sharing"),
  GPU_1("1-gpu"),
  GPU_2("2-gpu"),
  GPU_4("4-gpu"),
  GPU_8("8-gpu"),
  OTHER_GPU("other-gpu");

  private final String label;

  PodClass(String label) {
    this.label = label;
  }

  /** Label used in CSV headers, JSON keys and the report. */
  public String label() {
    return label;
  }

  /**
   * The class of a pod asking for {@code gpuCount} GPUs of which it uses {@code gpuMilli}
   * thousandths each (1000 = a whole GPU).
   */
  public static PodClass of(int gpuCount, int gpuMilli) {
    if (gpuCount == 0 || gpuMilli == 0) {
      return CPU_ONLY;
    }
    if (gpuCount == 1 && gpuMilli < 1000) {
      return SHARING;
    }
    return switch (gpuCount) {
      case 1 -> GPU_1;
      case 2 -> GPU_2;
      case 4 -> GPU_4;
      case 8 -> GPU_8;
      default -> OTHER_GPU;
    };
  }
}
