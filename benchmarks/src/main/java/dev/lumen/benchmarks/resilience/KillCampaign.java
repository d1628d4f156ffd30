package dev.lumen.benchmarks.resilience;

import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.sim.KillDrill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs {@code rollouts} kill drills of {@code kills} SIGKILLs each (seeds 1, 2, ...) and prints how
 * many ended exactly as an uninterrupted rollout, and where in the rollout the kills landed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.lumen.benchmarks.resilience.KillCampaign \
 *     [rollouts=10] [kills=5] [speed=20] [maxLifeSeconds=8]
 * </pre>
 *
 * <p>Each operator lives 1.5 s to {@code maxLifeSeconds} before it is killed, so that the kills of
 * one rollout land at different steps.
 */
public final class KillCampaign {
  private KillCampaign() {}

  public static void main(String[] args) throws Exception {
    int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int kills = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double speed = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    Duration maxLife = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 8);
    Path dir = Files.createTempDirectory("lumen-kill-campaign");
    int asUninterrupted = 0;
    Map<String, Integer> landed = new TreeMap<>();
    double seconds = 0;
    for (int seed = 1; seed <= rollouts; seed++) {
      KillDrill.Result result =
          KillDrill.run(seed, kills, speed, maxLife, dir.resolve("seed-" + seed));
      boolean ok = result.asUninterrupted();
      asUninterrupted += ok ? 1 : 0;
      seconds += result.elapsed().toMillis() / 1000.0;
      result.killedAt().forEach(s -> landed.merge(phase(s), 1, Integer::sum));
      System.out.printf(
          "rollout %d: %s in %.1f s real; traffic changes %s%n",
          seed,
          ok ? "as uninterrupted" : "DIFFERENT",
          result.elapsed().toMillis() / 1000.0,
          result.trafficChanges());
    }
    System.out.printf(
        "%d rollouts, %d SIGKILLs: %d ended exactly as uninterrupted; mean %.1f s real (speed"
            + " %.0fx); kills landed: %s; operator output under %s%n",
        rollouts, rollouts * kills, asUninterrupted, seconds / rollouts, speed, landed, dir);
    System.exit(asUninterrupted == rollouts ? 0 : 1);
  }

  private static String phase(LumenPolicyStatus status) {
    if (status == null || status.getCanaryRevision() == null) {
      return "no canary";
    }
    return "canary at "
        + Objects.requireNonNullElse(status.getCanaryWeight(), 0)
        + " %"
        + (status.getPending() == null ? "" : " with a change pending");
  }
}
