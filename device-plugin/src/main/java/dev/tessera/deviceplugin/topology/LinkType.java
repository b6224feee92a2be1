package dev.tessera.deviceplugin.topology;

import java.util.Optional;

/**
 * One link entry between two GPUs and its score contribution (hami-compat §3.2). A pair's score is
 * the sum over its entries; higher is better.
 */
public enum LinkType {
  /** NVML TOPOLOGY_SYSTEM: the path crosses CPU sockets. */
  CROSS_CPU("P2PLinkCrossCPU", 10),
  /** NVML TOPOLOGY_NODE: same CPU / NUMA node. */
  SAME_CPU("P2PLinkSameCPU", 20),
  HOST_BRIDGE("P2PLinkHostBridge", 30),
  MULTI_SWITCH("P2PLinkMultiSwitch", 40),
  SINGLE_SWITCH("P2PLinkSingleSwitch", 50),
  /** NVML TOPOLOGY_INTERNAL: same board. */
  SAME_BOARD("P2PLinkSameBoard", 60),
  NVLINK_1("SingleNVLINKLink", 100),
  NVLINK_2("TwoNVLINKLinks", 200),
  NVLINK_3("ThreeNVLINKLinks", 300),
  NVLINK_4("FourNVLINKLinks", 400),
  NVLINK_5("FiveNVLINKLinks", 500),
  NVLINK_6("SixNVLINKLinks", 600),
  NVLINK_7("SevenNVLINKLinks", 700),
  NVLINK_8("EightNVLINKLinks", 800),
  NVLINK_9("NineNVLINKLinks", 900),
  NVLINK_10("TenNVLINKLinks", 1000),
  NVLINK_11("ElevenNVLINKLinks", 1100),
  NVLINK_12("TwelveNVLINKLinks", 1200),
  NVLINK_13("ThirteenNVLINKLinks", 1300),
  NVLINK_14("FourteenNVLINKLinks", 1400),
  NVLINK_15("FifteenNVLINKLinks", 1500),
  NVLINK_16("SixteenNVLINKLinks", 1600),
  NVLINK_17("SeventeenNVLINKLinks", 1700),
  NVLINK_18("EighteenNVLINKLinks", 1800);

  /** The most NVLinks one GPU pair can have a type for. */
  public static final int MAX_NVLINKS = 18;

  private final String hamiName;
  private final int score;

  LinkType(String hamiName, int score) {
    this.hamiName = hamiName;
    this.score = score;
  }

  /** HAMi's Go constant name, e.g. {@code TwoNVLINKLinks}. */
  public String hamiName() {
    return hamiName;
  }

  /** Score contribution of one entry of this type. */
  public int score() {
    return score;
  }

  /** The type named {@code hamiName} (HAMi's Go constant name), if any. */
  public static Optional<LinkType> fromHamiName(String hamiName) {
    for (var t : values()) {
      if (t.hamiName.equals(hamiName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The NVLink type for {@code count} links: 1..18 map to one type each, anything else to none. */
  public static Optional<LinkType> forNvLinkCount(int count) {
    if (count < 1 || count > MAX_NVLINKS) {
      return Optional.empty();
    }
    return Optional.of(values()[NVLINK_1.ordinal() + count - 1]);
  }
}
