/**
 * The exact numbers of the FGD paper ("Beware of Fragmentation", USENIX ATC'23) as specified by
 * {@code ../shared/reference/fgd/policies.md}: node fragmentation against a target workload ({@link
 * dev.tessera.engine.features.Fragmentation}), the FGD score and GPU choice ({@link
 * dev.tessera.engine.features.FgdScore}), the baseline scores ({@link
 * dev.tessera.engine.features.BaselineScores}) and the filter and {@code best} GPU selector ({@link
 * dev.tessera.engine.features.FgdMath}).
 *
 * <p>All functions are pure, allocation-light and safe to call from DRL rules or OptaPlanner
 * constraints; the double arithmetic follows the spec's evaluation order so that replays match the
 * reference to the last digit. Callers that score many nodes should compute {@code F_before} once
 * per node state and pass it to the primitive overloads.
 */
package dev.tessera.engine.features;
