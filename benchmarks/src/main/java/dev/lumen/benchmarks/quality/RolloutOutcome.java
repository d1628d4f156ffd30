package dev.lumen.benchmarks.quality;

import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How one simulated rollout ended, read from the traffic the world served, so that Lumen and the
 * baseline are judged by the same rule. A decision taken at time T shapes the minute that starts at
 * T, so the time of a change is the start of the first minute served with it.
 *
 * @param decidedAfter time from the canary's first traffic to the promotion or rollback
 */
record RolloutOutcome(Kind kind, Optional<Duration> decidedAfter) {
  enum Kind {
    PROMOTED,
    ROLLED_BACK,
    UNDECIDED
  }

  static RolloutOutcome of(List<ServedMinute> minutes, String canary) {
    Instant firstTraffic = null;
    for (ServedMinute minute : minutes) {
      int weight = minute.traffic().getOrDefault(canary, 0);
      Instant minuteStart = minute.end().minus(Duration.ofMinutes(1));
      if (firstTraffic == null) {
        if (weight > 0) {
          firstTraffic = minuteStart;
        }
      } else if (weight == 100) {
        return new RolloutOutcome(
            Kind.PROMOTED, Optional.of(Duration.between(firstTraffic, minuteStart)));
      } else if (weight == 0) {
        return new RolloutOutcome(
            Kind.ROLLED_BACK, Optional.of(Duration.between(firstTraffic, minuteStart)));
      }
    }
    return new RolloutOutcome(Kind.UNDECIDED, Optional.empty());
  }
}
