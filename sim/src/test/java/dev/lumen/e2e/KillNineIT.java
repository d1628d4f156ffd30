package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.sim.KillDrill;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a real process, killed with SIGKILL five times at seeded random moments of a
 * canary rollout and started again each time: the rollout ends exactly as an uninterrupted one
 * does, with the same traffic changes in the same order, none repeated or skipped. The benchmark
 * {@code KillCampaign} does the same with 50 and more kills.
 */
class KillNineIT {
  @Test
  void aRolloutKilledFiveTimesEndsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
    KillDrill.Result result = KillDrill.run(8, 5, 20, Duration.ofSeconds(4), dir);

    result.killedAt().stream()
        .filter(Objects::nonNull)
        .forEach(
            s ->
                System.out.printf(
                    "killed with canary %s at %s %%, pending %s%n",
                    s.getCanaryRevision(),
                    s.getCanaryWeight(),
                    s.getPending() == null ? "none" : s.getPending().changes()));
    assertThat(result.killedAt())
        .as("kills that landed while the canary was live")
        .filteredOn(s -> s != null && s.getCanaryRevision() != null)
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(result.trafficChanges()).isEqualTo(KillDrill.UNINTERRUPTED);
    assertThat(result.asUninterrupted()).as(result.toString()).isTrue();
  }
}
