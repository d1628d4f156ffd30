package dev.lumen.cycle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a cycle tells its caller.
 *
 * @param next when to run again (clock time), or empty to wait for a change of the resource
 * @param gaps what could not be measured this cycle
 */
public record Outcome(Optional<Duration> next, List<String> gaps) {
  static Outcome after(Duration wait, List<String> gaps) {
    return new Outcome(Optional.of(wait), gaps);
  }

  static Outcome after(Duration wait) {
    return after(wait, List.of());
  }

  static Outcome waitForChange() {
    return new Outcome(Optional.empty(), List.of());
  }
}
