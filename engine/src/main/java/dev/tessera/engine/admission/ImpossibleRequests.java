package dev.tessera.engine.admission;

import dev.tessera.engine.config.DeviceConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Refuses a container's NVIDIA resource values that cannot be scheduled as written, before the
 * webhook mutates them. HAMi admits all of these except an out-of-range memory percentage; its
 * scheduler then silently drops the GPU booking (a fractional count, a memory value that is not an
 * int32 MiB count), clamps it (cores above 100) or falls back to the default (a fractional cores or
 * percentage value), so the pod runs with a different GPU share than it asked for, or none at all.
 * Everything HAMi's scheduler books as written still passes.
 */
final class ImpossibleRequests {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);

  // Suffixes of mega scale or more: as a MiB count they mean at least 10^6 MiB (about 1 TiB) per
  // GPU, so the writer meant bytes. Ki and k stay allowed: "4Ki" is a plausible 4096 MiB.
  private static final Pattern BYTE_SCALE = Pattern.compile(".*[0-9.](Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)$");

  private final DeviceConfig config;

  ImpossibleRequests(DeviceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Checks every configured NVIDIA resource of {@code c}, in its limits and its requests.
   *
   * @throws InvalidResourceException naming the container, the resource, the value as written and
   *     what would be accepted
   * @throws QuantityException when a value is not a quantity at all
   */
  void check(AdmissionContainer c) {
    for (Map<String, String> values : List.of(c.limits(), c.requests())) {
      count(c, values.get(config.resourceCountName()));
      memory(c, values.get(config.resourceMemoryName()));
      percent(c, config.resourceMemoryPercentageName(), values, "of the GPU's memory");
      percent(c, config.resourceCoreName(), values, "of one GPU's compute; 100 = all of it");
    }
    zeroGpusWithShares(c);
  }

  private void count(AdmissionContainer c, String text) {
    String resource = config.resourceCountName();
    if (resource.isEmpty() || text == null) {
      return;
    }
    Quantity q = Quantity.parse(resource, text);
    OptionalLong n = q.asInt64();
    if (n.isEmpty() && !isWhole(q.value())) {
      throw refuse(
          c,
          resource,
          text,
          "is not a whole number of GPUs (to share a GPU, ask for "
              + resource
              + ": 1 with "
              + shareNames()
              + ")");
    }
    if (q.value().signum() < 0) {
      throw refuse(c, resource, text, "must not be negative");
    }
    if (n.isEmpty() || n.getAsLong() > Integer.MAX_VALUE) {
      throw refuse(c, resource, text, "is more GPUs than can be booked");
    }
  }

  private void memory(AdmissionContainer c, String text) {
    String resource = config.resourceMemoryName();
    if (resource.isEmpty() || text == null) {
      return;
    }
    Quantity q = Quantity.parse(resource, text);
    int factor = config.effectiveMemoryFactor();
    if (BYTE_SCALE.matcher(text).matches()) {
      throw refuse(c, resource, text, notMibCount(q.value(), factor));
    }
    if (!isWhole(q.value())) {
      throw refuse(c, resource, text, "is not a whole number of MiB");
    }
    if (q.value().signum() < 0) {
      throw refuse(c, resource, text, "must not be negative");
    }
    long max = Integer.MAX_VALUE / factor;
    if (q.value().compareTo(BigDecimal.valueOf(max)) > 0) {
      // A plain number this large is bytes too (16 GiB = 17179869184), or a typo.
      throw refuse(
          c,
          resource,
          text,
          "is more than HAMi can book (at most " + max + "); " + notMibCount(q.value(), factor));
    }
  }

  private static String notMibCount(BigDecimal bytes, int factor) {
    BigInteger mib = bytes.divide(MIB, 0, RoundingMode.CEILING).toBigInteger();
    BigInteger units =
        new BigDecimal(mib)
            .divide(BigDecimal.valueOf(factor), 0, RoundingMode.CEILING)
            .toBigInteger();
    String unit = factor == 1 ? "MiB" : "units of memoryFactor " + factor + " MiB";
    return "is not a MiB count (HAMi reads gpumem in " + unit + "; write " + units + ")";
  }

  private void percent(
      AdmissionContainer c, String resource, Map<String, String> values, String meaning) {
    String text = resource.isEmpty() ? null : values.get(resource);
    if (text == null) {
      return;
    }
    BigDecimal v = Quantity.parse(resource, text).value();
    if (v.signum() < 0 || v.compareTo(HUNDRED) > 0) {
      // HAMi's own wording for the memory percentage (hami-compat §2.3), kept for both resources.
      throw new InvalidResourceException(
          c.name(),
          resource,
          "container "
              + c.name()
              + ": "
              + resource
              + " must be between 0 and 100 (percent "
              + meaning
              + "), got "
              + text);
    }
    if (!isWhole(v)) {
      throw refuse(c, resource, text, "is not a whole percent");
    }
  }

  /** A positive GPU share beside an explicit count of 0 asks for a share of no GPU. */
  private void zeroGpusWithShares(AdmissionContainer c) {
    Optional<String> count = c.resource(config.resourceCountName());
    if (count.isEmpty()
        || Quantity.parse(config.resourceCountName(), count.get()).value().signum() != 0) {
      return;
    }
    for (String share :
        List.of(
            config.resourceMemoryName(),
            config.resourceMemoryPercentageName(),
            config.resourceCoreName())) {
      Optional<String> v = c.resource(share);
      if (v.isPresent() && Quantity.parse(share, v.get()).value().signum() > 0) {
        throw new InvalidResourceException(
            c.name(),
            share,
            "container "
                + c.name()
                + ": "
                + config.resourceCountName()
                + " is 0, so "
                + share
                + " \""
                + v.get()
                + "\" asks for a share of no GPU (ask for at least 1 GPU, or drop "
                + share
                + ")");
      }
    }
  }

  private String shareNames() {
    var memory =
        java.util.stream.Stream.of(
                config.resourceMemoryName(), config.resourceMemoryPercentageName())
            .filter(s -> !s.isEmpty())
            .toList();
    var parts = new java.util.ArrayList<String>();
    if (!memory.isEmpty()) {
      parts.add(String.join(" or ", memory));
    }
    if (!config.resourceCoreName().isEmpty()) {
      parts.add(config.resourceCoreName());
    }
    return String.join(" and ", parts);
  }

  private static boolean isWhole(BigDecimal v) {
    return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
  }

  private static InvalidResourceException refuse(
      AdmissionContainer c, String resource, String text, String problem) {
    return new InvalidResourceException(
        c.name(),
        resource,
        "container " + c.name() + ": " + resource + " \"" + text + "\" " + problem);
  }
}
