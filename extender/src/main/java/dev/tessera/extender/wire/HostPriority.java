package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of the prioritize answer ({@code HostPriorityList}).
 *
 * @param host node name
 * @param score 0..10 ({@code MaxExtenderPriority}); kube-scheduler multiplies it by the extender's
 *     weight and by 10
 */
public record HostPriority(@JsonProperty("Host") String host, @JsonProperty("Score") long score) {
  /** The highest score kube-scheduler expects from an extender. */
  public static final int MAX = 10;
}
