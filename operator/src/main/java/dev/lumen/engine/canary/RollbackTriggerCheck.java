package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.observe.RequestCounts;
import java.util.Optional;

/**
 * The rate triggers of an automatic rollback: the canary's availability or error rate breaks its
 * limit with the analysis confidence, over at least {@code minRequests} requests.
 */
public final class RollbackTriggerCheck {
  private RollbackTriggerCheck() {}

  /** Why the canary must be rolled back, or empty. */
  public static Optional<String> breach(
      RollbackTriggers triggers, AnalysisSpec analysis, RequestCounts canary) {
    long n = canary.total();
    if (n == 0 || n < analysis.minRequests()) {
      return Optional.empty();
    }
    double z = Proportions.z(Decimals.parse(analysis.confidence()) / 100);
    double minAvailability = Decimals.parse(triggers.minAvailability()) / 100;
    double availabilityUpper = Proportions.wilsonUpper(canary.available(), n, z);
    if (availabilityUpper < minAvailability) {
      return Optional.of(
          "canary availability "
              + Decimals.format(100.0 * canary.available() / n, 3)
              + " % is below "
              + triggers.minAvailability()
              + " % over "
              + n
              + " requests");
    }
    double maxErrorRate = Decimals.parse(triggers.maxErrorRate()) / 100;
    double errorLower = Proportions.wilsonLower(canary.errors(), n, z);
    if (errorLower > maxErrorRate) {
      return Optional.of(
          "canary error rate "
              + Decimals.format(100.0 * canary.errors() / n, 3)
              + " % is above "
              + triggers.maxErrorRate()
              + " % over "
              + n
              + " requests");
    }
    return Optional.empty();
  }
}
