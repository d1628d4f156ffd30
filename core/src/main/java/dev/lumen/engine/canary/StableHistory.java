package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.RequestCounts;
import java.time.Duration;
import java.time.Instant;

/**
 * The stable revision's requests in a window that ends when the rollout started: with them the
 * comparison of error rates knows stable's rate far better than from the rollout's requests alone.
 * They count as long as stable's requests during the rollout agree with them ({@link
 * StableHistoryCheck}).
 *
 * @param revision the stable revision counted
 * @param start the window's start
 * @param end the window's end: the rollout's start, so no request is counted twice
 */
public record StableHistory(String revision, Instant start, Instant end, RequestCounts requests) {
  /** How much history {@code rollout} wants: zero for none, the schema's default. */
  public static Duration wanted(RolloutSpec rollout) {
    if (rollout == null
        || rollout.analysis() == null
        || Boolean.FALSE.equals(rollout.analysis().compareWithStable())) {
      return Duration.ZERO;
    }
    String window = rollout.analysis().stableHistory();
    return window == null ? Duration.ZERO : Durations.parse(window);
  }
}
