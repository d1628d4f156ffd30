package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.canary.StableHistory;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.gate.ErrorBudgets;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything measured for one policy's decision. Missing measurements are empty, never zero.
 *
 * @param canary the canary's traffic since the current step started; with no canary, the promoted
 *     revision's traffic since its watch started (spec.rollout.postPromotion)
 * @param stable the stable revision's traffic over the same period
 * @param rolloutWindow the minutes {@code canary} and {@code stable} cover
 * @param sloTargets state and compliance of each SLOTarget the policy names
 * @param cache cache lookups over {@code cacheWindow} (the TTL cooldown by default)
 * @param cacheTtl the TTL currently published for the application
 * @param cacheReadable whether Redis answered: when it did not, an empty {@code cacheTtl} is a
 *     measurement missing, not a TTL missing, and the TTL loop decides nothing
 * @param cost this month's usage
 * @param coldStartRatePercent share of recent requests that met a cold start
 * @param stableHistory stable's requests before the rollout, read while its first step runs and
 *     status has none yet (spec.rollout.analysis.stableHistory)
 * @param lateMinutes the last step's final minutes once they have arrived, while status awaits them
 *     ({@code status.rollout.earlierSteps.arriving})
 */
public record PolicyObservations(
    ServiceSnapshot service,
    Optional<TrafficWindow> canary,
    Optional<TrafficWindow> stable,
    Optional<Minutes> rolloutWindow,
    Map<String, SloSummary> sloTargets,
    Optional<CacheCounts> cache,
    Duration cacheWindow,
    Optional<Duration> cacheTtl,
    boolean cacheReadable,
    Optional<CostUsage> cost,
    MaturityScore.Inputs maturity,
    Optional<Double> coldStartRatePercent,
    Optional<StableHistory> stableHistory,
    Optional<LateMinutes> lateMinutes) {

  /**
   * What an SLOTarget reports: its state, its compliance in percent, the objective with the least
   * error budget left, and the most severe burn-rate pair firing.
   */
  public record SloSummary(SloState state, Optional<Double> compliance, ErrorBudgets budgets) {
    public SloSummary(SloState state, Optional<Double> compliance) {
      this(state, compliance, ErrorBudgets.NONE);
    }
  }
}
