package dev.tessera.engine.health;

import java.time.Clock;
import java.util.Optional;

/**
 * The NVIDIA backend's node health check (hami-compat §3.3) as a pure transition: observations plus
 * the node's {@link NodeHealthMemory} give the verdict and the next memory.
 */
public final class NodeHealth {
  private NodeHealth() {}

  /**
   * One check's outcome.
   *
   * @param healthy false: delete the handshake annotation and drop the node's NVIDIA devices
   * @param needUpdate true: re-read the register annotation into the cache
   * @param next the memory to keep for the next check
   * @param handshakeToWrite a fresh handshake value to patch onto the node, if any
   */
  public record Transition(
      boolean healthy,
      boolean needUpdate,
      NodeHealthMemory next,
      Optional<String> handshakeToWrite) {
    /** True when the scheduler removes {@code hami.io/node-handshake} from the node. */
    public boolean deleteHandshake() {
      return !healthy;
    }
  }

  /**
   * Checks one node, in HAMi's order:
   *
   * <ol>
   *   <li>allocatable 0 and remembered 0: the handshake result;
   *   <li>allocatable 0 and remembered &gt; 0: unhealthy, remember 0;
   *   <li>allocatable ≠ remembered: healthy, update, remember the new count;
   *   <li>register annotation string changed: handshake health, update, remember the string;
   *   <li>otherwise the handshake result.
   * </ol>
   *
   * @param allocatableGpus node {@code status.allocatable[nvidia.com/gpu]}, 0 when absent
   * @param handshake the {@code hami.io/node-handshake} value, empty when absent
   * @param registerAnnotation the raw {@code hami.io/node-nvidia-register} value, empty when absent
   */
  public static Transition check(
      NodeHealthMemory memory,
      long allocatableGpus,
      Optional<String> handshake,
      Optional<String> registerAnnotation,
      Clock clock) {
    if (allocatableGpus == 0 && memory.reportedGpus() == 0) {
      return fromHandshake(Handshake.check(handshake, allocatableGpus, clock), memory, false);
    }
    if (allocatableGpus == 0) {
      return new Transition(false, false, memory.withReportedGpus(0), Optional.empty());
    }
    if (allocatableGpus != memory.reportedGpus()) {
      return new Transition(true, true, memory.withReportedGpus(allocatableGpus), Optional.empty());
    }
    String register = registerAnnotation.orElse("");
    if (!register.equals(memory.registerAnnotation())) {
      return fromHandshake(
          Handshake.check(handshake, allocatableGpus, clock),
          memory.withRegisterAnnotation(register),
          true);
    }
    return fromHandshake(Handshake.check(handshake, allocatableGpus, clock), memory, false);
  }

  private static Transition fromHandshake(
      Handshake.Result h, NodeHealthMemory next, boolean forceUpdate) {
    return new Transition(h.healthy(), forceUpdate || h.needUpdate(), next, h.valueToWrite());
  }
}
