package dev.lumen.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a cycle tells its caller.
 *
 * @param next when to run again (clock time), counted from {@code from}, or empty to wait for a
 *     change of the resource
 * @param from the clock instant the cycle decided at: a caller that schedules from it keeps the
 *     cadence the cycle asked for however long the cycle itself took
 * @param gaps what could not be measured this cycle
 */
public record Outcome(Optional<Duration> next, Instant from, List<String> gaps) {
  static Outcome after(Instant now, Duration wait, List<String> gaps) {
    return new Outcome(Optional.of(wait), now, gaps);
  }

  static Outcome after(Instant now, Duration wait) {
    return after(now, wait, List.of());
  }

  static Outcome waitForChange(Instant now) {
    return new Outcome(Optional.empty(), now, List.of());
  }

  /** The clock instant to run again at, or empty to wait for a change. */
  public Optional<Instant> nextAt() {
    return next.map(from::plus);
  }
}
