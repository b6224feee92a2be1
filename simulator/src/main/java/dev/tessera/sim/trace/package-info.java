/**
 * Strict readers for the openb trace CSVs and the FGD reference order and tie-break files. Errors
 * are {@link dev.tessera.sim.trace.TraceFormatException}s naming file, line, column and the
 * expected form; lenient reads skip bad rows and report them.
 */
package dev.tessera.sim.trace;
