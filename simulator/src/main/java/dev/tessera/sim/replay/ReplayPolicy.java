package dev.tessera.sim.replay;

/** The six policies of the FGD paper, named as in {@code openb-default-expected.csv}. */
public enum ReplayPolicy {
  RANDOM("01-Random"),
  DOT_PROD("02-DotProd"),
  GPU_CLUSTERING("03-GpuClustering"),
  GPU_PACKING("04-GpuPacking"),
  BEST_FIT("05-BestFit"),
  FGD("06-FGD");

  private final String label;

  ReplayPolicy(String label) {
    this.label = label;
  }

  /** The {@code sc_policy} label of the reference file, e.g. {@code 06-FGD}. */
  public String label() {
    return label;
  }

  /** The policy with {@code label}; throws naming the known labels otherwise. */
  public static ReplayPolicy ofLabel(String label) {
    for (ReplayPolicy p : values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown policy \"" + label + "\"; expected one of 01-Random … 06-FGD");
  }
}
