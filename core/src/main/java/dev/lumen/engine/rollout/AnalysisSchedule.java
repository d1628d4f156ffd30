package dev.lumen.engine.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * When a step's next analysis is due: on a grid of analysis intervals from the step's start, not an
 * interval after the last analysis. An evaluation that began late (a busy operator, a restart, the
 * demo's fast clock on a loaded machine) then delays only that analysis, not every later one, and a
 * reconcile that an event brings between two analyses can wake exactly when the next is due instead
 * of an interval after itself.
 */
public final class AnalysisSchedule {
  private AnalysisSchedule() {}

  /**
   * @param stepStart when the current step began
   * @param lastAnalysis when the step was last analysed, or null when not yet
   */
  public static Instant nextDue(Instant stepStart, Instant lastAnalysis, Duration interval) {
    if (lastAnalysis == null
        || lastAnalysis.isBefore(stepStart)
        || interval.isNegative()
        || interval.isZero()) {
      return stepStart.plus(interval);
    }
    long done = Duration.between(stepStart, lastAnalysis).toMillis() / interval.toMillis();
    return stepStart.plus(interval.multipliedBy(done + 1));
  }
}
