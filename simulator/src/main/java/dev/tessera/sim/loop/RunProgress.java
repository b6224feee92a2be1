package dev.tessera.sim.loop;

/**
 * Where a policy run reports how far it is, so the CLI can draw {@code sim.output.Progress} without
 * the loop knowing about terminals. Called on the run's own thread; implementations shared between
 * parallel runs must be thread-safe.
 */
public interface RunProgress {
  /** Reports nothing. */
  RunProgress NONE =
      new RunProgress() {
        @Override
        public void advance() {}

        @Override
        public void finish() {}
      };

  /** One pod of the run's sequence was handled (placed, dropped or queued on arrival). */
  void advance();

  /** The run is over. */
  void finish();

  /** Makes one {@link RunProgress} per policy run. */
  @FunctionalInterface
  interface Factory {
    /** Reports nothing. */
    Factory NONE = (policy, pods) -> RunProgress.NONE;

    /** The progress of {@code policy}'s run over {@code pods} pods, called before it starts. */
    RunProgress start(String policy, int pods);
  }
}
