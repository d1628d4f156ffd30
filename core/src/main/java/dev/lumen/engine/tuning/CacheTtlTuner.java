package dev.lumen.engine.tuning;

import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The cache TTL loop: a hit rate below the low mark multiplies the TTL by 1.5, one above the high
 * mark by 0.8, within the policy's bounds. It should be fed the hit rate over the cooldown window,
 * not an instant reading: together with the band between the marks and the cooldown, that is what
 * keeps noise from moving the TTL back and forth.
 */
public final class CacheTtlTuner {
  static final double RAISE_FACTOR = 1.5;
  static final double LOWER_FACTOR = 0.8;

  private CacheTtlTuner() {}

  /** The change to make, if any. */
  public record Change(Duration ttl, String reason) {}

  /**
   * @param current the TTL published in Redis, if any
   * @param lastPublished the TTL Lumen last published, from status: when Redis has none (it
   *     restarted without persistence, or was flushed) that one is published again, not the
   *     minimum, so a tuned TTL is not lost with the cache
   */
  public static Optional<Change> decide(
      CacheTtlTuning spec,
      Optional<Duration> current,
      Optional<Duration> lastPublished,
      Optional<Double> hitRatePercent,
      Optional<Instant> lastChange,
      Instant now) {
    Duration min = Durations.parse(spec.min());
    Duration max = Durations.parse(spec.max());
    if (current.isEmpty()) {
      if (lastPublished.isPresent()) {
        Duration again = maxOf(min, min(max, lastPublished.get()));
        return Optional.of(
            new Change(
                again,
                "the published TTL is gone from Redis (restarted or flushed): publishing "
                    + Durations.format(again)
                    + " again"));
      }
      return Optional.of(
          new Change(min, "no TTL is published yet: publishing the minimum " + spec.min()));
    }
    Duration ttl = current.get();
    if (ttl.compareTo(min) < 0 || ttl.compareTo(max) > 0) {
      Duration bounded = ttl.compareTo(min) < 0 ? min : max;
      return Optional.of(
          new Change(
              bounded,
              "TTL "
                  + Durations.format(ttl)
                  + " is outside "
                  + spec.min()
                  + ".."
                  + spec.max()
                  + " of the policy"));
    }
    if (hitRatePercent.isEmpty()
        || (lastChange.isPresent()
            && now.isBefore(lastChange.get().plus(Durations.parse(spec.cooldown()))))) {
      return Optional.empty();
    }
    double hitRate = hitRatePercent.get();
    if (hitRate < Decimals.parse(spec.raiseBelowHitRate())) {
      Duration raised = min(max, scale(ttl, RAISE_FACTOR));
      return raised.equals(ttl)
          ? Optional.empty()
          : Optional.of(
              new Change(
                  raised,
                  "hit rate "
                      + Decimals.format(hitRate, 1)
                      + " % is below "
                      + spec.raiseBelowHitRate()
                      + " %: TTL "
                      + Durations.format(ttl)
                      + " x 1.5 = "
                      + Durations.format(raised)));
    }
    if (hitRate > Decimals.parse(spec.lowerAboveHitRate())) {
      Duration lowered = maxOf(min, scale(ttl, LOWER_FACTOR));
      return lowered.equals(ttl)
          ? Optional.empty()
          : Optional.of(
              new Change(
                  lowered,
                  "hit rate "
                      + Decimals.format(hitRate, 1)
                      + " % is above "
                      + spec.lowerAboveHitRate()
                      + " %: TTL "
                      + Durations.format(ttl)
                      + " x 0.8 = "
                      + Durations.format(lowered)));
    }
    return Optional.empty();
  }

  /** TTLs are whole seconds. */
  private static Duration scale(Duration ttl, double factor) {
    return Duration.ofSeconds(Math.round(ttl.toSeconds() * factor));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration maxOf(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
