package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.RolloutStatus.EarlierStepsStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.MinutesStatus;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Instant;

/**
 * The last minutes of a step that has ended, still served at its split, whose data arrived only
 * after the rollout moved on: the data delay would otherwise leave them out of every step.
 *
 * @param minutes which minutes ({@code status.rollout.earlierSteps.arriving})
 * @param canary the canary's traffic in them
 * @param stable stable's traffic in them
 */
public record LateMinutes(Minutes minutes, TrafficWindow canary, TrafficWindow stable) {
  /** The minutes status awaits, read back from it; null when none. */
  public static Minutes awaited(EarlierStepsStatus earlierSteps) {
    MinutesStatus arriving = earlierSteps == null ? null : earlierSteps.arriving();
    return arriving == null
        ? null
        : new Minutes(Instant.parse(arriving.startTime()), Instant.parse(arriving.endTime()));
  }

  /** {@code minutes} as status keeps them; null for none. */
  static MinutesStatus status(Minutes minutes) {
    return minutes == null
        ? null
        : new MinutesStatus(minutes.start().toString(), minutes.end().toString());
  }
}
