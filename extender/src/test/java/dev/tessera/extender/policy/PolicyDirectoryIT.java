package dev.tessera.extender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.policies.drl.PolicySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy directory reloads on change and keeps serving the last good policy on a bad edit. */
class PolicyDirectoryIT {
  @TempDir Path dir;

  private static String spread() {
    return PolicySource.classpath("dev/tessera/policies/spread.drl").drl();
  }

  @Test
  void aBrokenEditKeepsTheOldPolicyAndAFixedOneIsServed() throws Exception {
    Files.writeString(dir.resolve("a.drl"), spread());
    try (PolicyDirectory p = PolicyDirectory.open(dir)) {
      var first = p.holder().current();

      Files.writeString(
          dir.resolve("b.drl"), "package x;\nrule \"broken\" when then nonsense( end\n");
      boolean badReload = p.reload();

      assertThat(badReload).isFalse();
      assertThat(p.holder().current()).isSameAs(first);

      Files.delete(dir.resolve("b.drl"));
      assertThat(p.reload()).isTrue();
      assertThat(p.holder().current()).isNotSameAs(first);
    }
  }

  @Test
  void aChangedFileIsPickedUpByTheWatcher() throws Exception {
    Files.writeString(dir.resolve("a.drl"), spread());
    try (PolicyDirectory p = PolicyDirectory.open(dir)) {
      var first = p.holder().current();
      p.watch();

      Files.writeString(dir.resolve("a.drl"), spread() + "\n// edited\n");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (p.holder().current() == first && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(p.holder().current()).isNotSameAs(first);
    }
  }
}
