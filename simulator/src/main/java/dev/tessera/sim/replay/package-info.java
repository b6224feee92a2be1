/**
 * A plain-Java reference oracle of the FGD experiment (arrivals in a given order, no departures,
 * drop on no fit, rank tie-break). It validates {@code dev.tessera.engine.features} against {@code
 * openb-default-expected.csv}; the simulator's product path must instead go through the DRL
 * policies and {@code Engine.decide}, and can use this oracle as its expected output.
 */
package dev.tessera.sim.replay;
