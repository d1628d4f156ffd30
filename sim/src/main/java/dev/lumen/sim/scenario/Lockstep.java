package dev.lumen.sim.scenario;

import dev.lumen.clock.FastClock;
import dev.lumen.reconciler.ScheduleListener;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the demo's clock from running ahead of Lumen. The operator tells it when each evaluation is
 * due; the clock stops {@link #GRACE} after the earliest one that has not begun, and runs on from
 * there (without a jump) once it begins. On a busy machine the scenario then waits for Lumen, as
 * production's time would not need to, instead of Lumen deciding minutes later in scenario time
 * than it would in production. An evaluation that has not begun after {@link #LONGEST_WAIT} of real
 * time (a stuck operator) is given up on, so the demo never freezes.
 */
final class Lockstep implements ScheduleListener {
  /** How late in scenario time an evaluation may begin before the clock waits for it. */
  static final Duration GRACE = Duration.ofSeconds(2);

  /** Real time the clock waits for one evaluation at most. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private final FastClock clock;
  private final Duration longestWait;
  private final Map<String, Instant> due = new HashMap<>();
  private Instant limit;
  private Instant standingAt;
  private long standingSinceNanos;

  Lockstep(FastClock clock) {
    this(clock, LONGEST_WAIT);
  }

  Lockstep(FastClock clock, Duration longestWait) {
    this.clock = clock;
    this.longestWait = longestWait;
  }

  @Override
  public synchronized void due(String evaluation, Instant at) {
    due.put(evaluation, at);
    relimit();
  }

  @Override
  public synchronized void done(String evaluation) {
    if (due.remove(evaluation) != null) {
      relimit();
    }
  }

  /**
   * Called often while the scenario runs: when the clock has stood at its limit for the longest
   * wait, lets it go on without the evaluations it waits for, and says which.
   */
  synchronized Optional<String> check() {
    if (limit == null || clock.instant().isBefore(limit)) {
      standingAt = null;
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (!limit.equals(standingAt)) {
      standingAt = limit;
      standingSinceNanos = now;
      return Optional.empty();
    }
    if (now - standingSinceNanos < longestWait.toNanos()) {
      return Optional.empty();
    }
    Instant waitedFor = limit.minus(GRACE);
    List<String> overdue =
        due.entrySet().stream()
            .filter(e -> !e.getValue().isAfter(waitedFor))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    overdue.forEach(due::remove);
    relimit();
    return Optional.of(
        "Lumen had not begun or finished "
            + String.join(", ", overdue)
            + " after "
            + longestWait.toMillis() / 1000.0
            + " s of real time; the clock goes on without waiting for it");
  }

  private void relimit() {
    Instant earliest = due.values().stream().min(Instant::compareTo).orElse(null);
    Instant next = earliest == null ? null : earliest.plus(GRACE);
    if (next == null ? limit != null : !next.equals(limit)) {
      limit = next;
      clock.limitTo(next);
    }
  }
}
