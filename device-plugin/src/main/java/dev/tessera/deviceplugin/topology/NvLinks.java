package dev.tessera.deviceplugin.topology;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** NVLink counting between two GPUs from NVML link data (hami-compat §3.2). */
public final class NvLinks {
  private NvLinks() {}

  /**
   * One enabled NVLink of a GPU.
   *
   * @param remoteBusId raw NVML PCI bus id of the remote end (e.g. {@code 00000000:01:00.0})
   * @param remoteIsSwitch whether the remote device is an NVSwitch
   */
  public record Port(String remoteBusId, boolean remoteIsSwitch) {
    public Port {
      Objects.requireNonNull(remoteBusId, "remoteBusId");
    }
  }

  /**
   * One GPU's NVLink view.
   *
   * @param busId raw NVML PCI bus id of this GPU
   * @param enabledPorts its enabled NVLinks (disabled or unsupported links are left out)
   */
  public record Gpu(String busId, List<Port> enabledPorts) {
    public Gpu {
      Objects.requireNonNull(busId, "busId");
      enabledPorts = List.copyOf(enabledPorts);
    }

    long switchPorts() {
      return enabledPorts.stream().filter(Port::remoteIsSwitch).count();
    }
  }

  /**
   * NVML's bus id in the form peers are compared in: lower-case, with one leading {@code 0000}
   * stripped ({@code 00000000:01:00.0} becomes {@code 0000:01:00.0}); {@code 0000} itself is kept.
   */
  public static String normalizeBusId(String raw) {
    String s = raw.toLowerCase(Locale.ROOT);
    if (!s.equals("0000") && s.startsWith("0000")) {
      return s.substring(4);
    }
    return s;
  }

  /** How many of the raw remote bus ids, once normalised, equal {@code peerBusId} (normalised). */
  public static int countMatchingLinks(List<String> remoteBusIds, String peerBusId) {
    int n = 0;
    for (String r : remoteBusIds) {
      if (normalizeBusId(r).equals(peerBusId)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The NVLink count between {@code a} and {@code b}: a's links whose remote is b; if none and a
   * has enabled links, {@code min} of both GPUs' links to an NVSwitch. Empty when there is no
   * NVLink path (no entry is published for the pair).
   */
  public static OptionalInt between(Gpu a, Gpu b) {
    int direct =
        countMatchingLinks(
            a.enabledPorts().stream().map(Port::remoteBusId).toList(), normalizeBusId(b.busId()));
    if (direct > 0) {
      return OptionalInt.of(direct);
    }
    if (a.enabledPorts().isEmpty()) {
      return OptionalInt.empty();
    }
    long sa = a.switchPorts();
    long sb = b.switchPorts();
    if (sa == 0 || sb == 0) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) Math.min(sa, sb));
  }

  /**
   * The NVLink entry for the pair, if any: {@link #between} mapped by {@link
   * LinkType#forNvLinkCount}.
   */
  public static Optional<LinkType> linkType(Gpu a, Gpu b) {
    var n = between(a, b);
    return n.isPresent() ? LinkType.forNvLinkCount(n.getAsInt()) : Optional.empty();
  }
}
