package dev.lumen.sim.scenario;

import java.time.Duration;
import java.time.Instant;

/** Times as a person follows a scenario: hours and minutes since it started. */
public final class ScenarioClock {
  private ScenarioClock() {}

  /** "00:07", or "-00:01" before the start. */
  public static String format(Instant start, Instant time) {
    Duration since = Duration.between(start, time);
    String sign = since.isNegative() ? "-" : "";
    since = since.abs();
    return String.format("%s%02d:%02d", sign, since.toHours(), since.toMinutesPart());
  }
}
