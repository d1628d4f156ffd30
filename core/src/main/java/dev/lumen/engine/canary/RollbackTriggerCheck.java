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
   * What the requests are of, as a breach names it.
   *
   * @param name e.g. "canary"
   * @param requests the requests weighed, with {@code %d} for their number
   */
  public record Subject(String name, String requests) {
    public static final Subject CANARY = new Subject("canary", "the rollout's %d canary requests");

    /** A promoted revision under watch, weighed on its requests since promotion. */
    public static Subject promoted(String revision) {
      return new Subject("promoted revision " + revision, "its %d requests since promotion");
    }

    String over(long total) {
      return requests.formatted(total);
    }
  }

  /**
   * Why the canary must be rolled back, or empty.
   *
   * @param canary the canary's requests since the rollout started
   * @param stable the stable revision's requests over the same periods, when known
   * @param subject what {@code canary} is, for the message
   */
  public static Optional<String> breach(
      RollbackTriggers triggers,
      AnalysisSpec analysis,
      RequestCounts canary,
      Optional<RequestCounts> stable,
      Subject subject) {
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
          subject.name()
              + " availability "
              + Decimals.format(100.0 * canary.available() / canary.total(), 3)
              + " % is below "
              + triggers.minAvailability()
              + " % over "
              + subject.over(canary.total()));
    }
    double maxErrorRate = Decimals.parse(triggers.maxErrorRate()) / 100;
    if (SequentialRateTest.exceeds(
        canary,
        comparable,
        RequestCounts::errors,
        maxErrorRate,
        SequentialRateTest.PER_ROLLOUT_FALSE_ALARM)) {
      return Optional.of(
          subject.name()
              + " error rate "
              + Decimals.format(100.0 * canary.errors() / canary.total(), 3)
              + " % is above "
              + triggers.maxErrorRate()
              + " % over "
              + subject.over(canary.total()));
    }
    return Optional.empty();
  }
}
