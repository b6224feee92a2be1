/** JMH benchmarks; run with {@code java -jar benchmarks/target/benchmarks.jar}. */
package dev.tessera.benchmarks;
// Run: mvn -B -o -Pquickly -pl benchmarks -am package -DskipTests &&
//      java -jar benchmarks/target/benchmarks.jar   (all suites; add a name regex to pick one,
//      e.g. EngineDecideBenchmark or PolicyDecideBenchmark)
