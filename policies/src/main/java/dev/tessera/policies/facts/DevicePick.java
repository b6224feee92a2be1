package dev.tessera.policies.facts;

import java.util.Objects;

/**
 * A rule's choice of the GPU selector used when the pod is bound (policies.md §3.6, §4): which GPUs
 * of the winning node the pod gets. The engine's fit still validates and books the chosen GPUs.
 *
 * <p>Insert {@code new DevicePick(DevicePick.FGD)} to apply to whichever node wins, or {@code new
 * DevicePick($f.node(), DevicePick.BEST)} for one node; a node-specific pick wins over a general
 * one. Without any pick the engine's own device order (HAMi's GPU policy) decides.
 *
 * @param node node name, or {@link #ANY_NODE} for every node
 * @param selector {@link #BEST}, {@link #FGD} or {@link #RANDOM}
 */
public record DevicePick(String node, String selector) {
  /** Node value meaning "whichever node wins". */
  public static final String ANY_NODE = "";

  /**
   * Tightest fit: a sharing pod takes the GPU with the least idle share that still fits (lowest
   * index on ties); a whole-GPU pod the lowest-index fully idle GPUs.
   */
  public static final String BEST = "best";

  /** FGD: a sharing pod takes the GPU whose use fragments the node least (§6.4). */
  public static final String FGD = "fgd";

  /**
   * A sharing pod takes a uniformly drawn fitting GPU (seeded); whole-GPU pods as {@link #BEST}.
   */
  public static final String RANDOM = "random";

  public DevicePick {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(selector, "selector");
    if (!selector.equals(BEST) && !selector.equals(FGD) && !selector.equals(RANDOM)) {
      throw new IllegalArgumentException(
          "unknown GPU selector \"" + selector + "\"; expected best, fgd or random");
    }
  }

  /** A pick that applies to whichever node wins. */
  public DevicePick(String selector) {
    this(ANY_NODE, selector);
  }
}
