/**
 * Results of simulation runs, shared by the event loop that produces them and the writers (CSV,
 * {@code summary.json}, {@code report.html}) that render them. Plain records, no behaviour beyond
 * small derived values.
 */
package dev.tessera.sim.run;
