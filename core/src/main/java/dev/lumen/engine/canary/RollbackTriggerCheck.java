package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.RequestCounts;
import java.util.Optional;

/**
 * The rate triggers of an automatic rollback: the canary's availability or error rate breaks its
 * limit by a {@link LimitTest}, which needs no minimum of requests and holds its false alarms
 * however often it is run.
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
   * @param subject what {@code canary} is, for the message
   */
  public static Optional<String> breach(
      RollbackTriggers triggers, RequestCounts canary, Subject subject) {
    if (canary.total() == 0) {
      return Optional.empty();
    }
    double maxUnavailable = 1 - Decimals.parse(triggers.minAvailability()) / 100;
    if (LimitTest.exceeds(
        canary.serverErrors(), canary.total(), maxUnavailable, FalseRollbacks.RATE_LIMIT)) {
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
    if (LimitTest.exceeds(
        canary.errors(), canary.total(), maxErrorRate, FalseRollbacks.RATE_LIMIT)) {
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
