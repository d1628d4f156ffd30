package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.RequestCounts;
import java.util.Optional;

/**
 * The rate triggers of an automatic rollback: the canary's availability or error rate breaks its
 * limit by a {@link SequentialRateTest}, which needs no minimum of requests and holds its false
 * alarms however often it is run.
 */
public final class RollbackTriggerCheck {
  private RollbackTriggerCheck() {}

  /**
   * Why the canary must be rolled back, or empty.
   *
   * @param canary the canary's requests since the rollout started
   * @param stable the stable revision's requests over the same periods, when known
   */
  public static Optional<String> breach(
      RollbackTriggers triggers,
      AnalysisSpec analysis,
      RequestCounts canary,
      Optional<RequestCounts> stable) {
    if (canary.total() == 0) {
      return Optional.empty();
    }
    Optional<RequestCounts> comparable =
        SequentialRateTest.comparable(stable, analysis.minRequests());
    double maxUnavailable = 1 - Decimals.parse(triggers.minAvailability()) / 100;
    if (SequentialRateTest.exceeds(
        canary,
        comparable,
        RequestCounts::serverErrors,
        maxUnavailable,
        SequentialRateTest.PER_ROLLOUT_FALSE_ALARM)) {
      return Optional.of(
          "canary availability "
              + Decimals.format(100.0 * canary.available() / canary.total(), 3)
              + " % is below "
              + triggers.minAvailability()
              + " % over the rollout's "
              + canary.total()
              + " canary requests");
    }
    double maxErrorRate = Decimals.parse(triggers.maxErrorRate()) / 100;
    if (SequentialRateTest.exceeds(
        canary,
        comparable,
        RequestCounts::errors,
        maxErrorRate,
        SequentialRateTest.PER_ROLLOUT_FALSE_ALARM)) {
      return Optional.of(
          "canary error rate "
              + Decimals.format(100.0 * canary.errors() / canary.total(), 3)
              + " % is above "
              + triggers.maxErrorRate()
              + " % over the rollout's "
              + canary.total()
              + " canary requests");
    }
    return Optional.empty();
  }
}
