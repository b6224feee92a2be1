package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.policies.drl.PolicyCompileException;
import dev.tessera.policies.drl.PolicyDirectory;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.PolicySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extender's policy directory: compiled on open, reloaded on change, errors keep the old. */
class PolicyDirectoryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final String BROKEN =
      """
      package mine;
      import dev.tessera.policies.facts.NodeFeatures;
      rule "Broken rule"
      when
          $n : NodeFeatures( noSuchField > 1 )
      then
      end
      """;

  private static String builtIn(String name) {
    return PolicySource.classpath("dev/tessera/policies/" + name + ".drl").drl();
  }

  /** Polls {@code condition} every 10 ms until it holds or {@link #WAIT} passes. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s for the watcher", WAIT).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aDirectoryWithoutPoliciesCannotBeOpened(@TempDir Path dir) {
    assertThatThrownBy(() -> PolicyDirectory.open(dir))
        .isInstanceOf(PolicyCompileException.class)
        .hasMessageContaining("no *.drl policy files");
  }

  @Test
  void reloadServesOnlyAPolicyThatCompiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-binpack.drl"), builtIn("binpack"));
    try (PolicyDirectory pd = PolicyDirectory.open(dir)) {
      PolicyScorer first = pd.holder().current();
      Files.writeString(dir.resolve("b-mine.drl"), BROKEN);
      assertThat(pd.reload()).isFalse();
      assertThat(pd.lastErrors())
          .singleElement()
          .asString()
          .containsPattern("b-mine\\.drl:5:\\d+: ");
      assertThat(pd.holder().current()).isSameAs(first);

      Files.delete(dir.resolve("b-mine.drl"));
      Files.writeString(dir.resolve("b-spread.drl"), builtIn("spread"));
      assertThat(pd.reload()).isTrue();
      assertThat(pd.lastErrors()).isEmpty();
      assertThat(pd.holder().current()).isNotSameAs(first);
      assertThat(pd.reloads()).isEqualTo(1);
    }
  }

  @Test
  void aSyntaxErrorKeepsTheOldPolicyAndNamesTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.drl"), builtIn("spread"));
    try (PolicyDirectory pd = PolicyDirectory.open(dir)) {
      PolicyScorer first = pd.holder().current();
      Files.writeString(
          dir.resolve("b.drl"), "package x;\nrule \"broken\" when then nonsense( end\n");
      assertThat(pd.reload()).isFalse();
      assertThat(pd.lastErrors())
          .isNotEmpty()
          .allMatch(e -> e.matches("(?s).*b\\.drl:\\d+:\\d+: .*"));
      assertThat(pd.holder().current()).isSameAs(first);
    }
  }

  @Test
  void theWatcherReloadsOnChangeAndKeepsThePreviousPolicyOnError(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("policy.drl");
    Files.writeString(file, builtIn("binpack"));
    try (PolicyDirectory pd = PolicyDirectory.open(dir)) {
      pd.start();
      PolicyScorer first = pd.holder().current();

      Files.writeString(file, BROKEN);
      await(() -> !pd.lastErrors().isEmpty());
      assertThat(pd.lastErrors().get(0)).containsPattern("policy\\.drl:5:\\d+: ");
      assertThat(pd.holder().current()).isSameAs(first);

      Files.writeString(file, builtIn("spread"));
      await(() -> pd.reloads() == 1);
      assertThat(pd.lastErrors()).isEmpty();
      assertThat(pd.holder().current()).isNotSameAs(first);

      // A file that is not *.drl is ignored; adding a second policy file reloads once more.
      Files.writeString(dir.resolve("README.txt"), "notes");
      Files.writeString(dir.resolve("z-binpack.drl"), builtIn("binpack"));
      await(() -> pd.reloads() == 2);
    }
  }
}
