package dev.lumen.reconciler;

import dev.lumen.metrics.LumenMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each resource's evaluations on their schedule in the operator's clock. The wait a cycle
 * asks for counts from the instant it decided at ({@link dev.lumen.cycle.Outcome#nextAt()}), not
 * from when the reconcile ended, so a slow reconcile does not push every later evaluation back (at
 * real time a reconcile's 100 ms hardly matters; on the demo's clock, 120 times faster, it was 12 s
 * a minute). It also measures how late each scheduled evaluation began after it was due: {@code
 * lumen_evaluation_lateness_seconds}.
 */
public final class Cadence {
  private final String kind;
  private final Clock clock;
  private final Pacing pacing;
  private final LumenMetrics metrics;
  private final Map<String, Instant> due = new ConcurrentHashMap<>();

  public Cadence(String kind, Shell shell) {
    this(kind, shell.clock(), shell.pacing(), shell.metrics());
  }

  Cadence(String kind, Clock clock, Pacing pacing, LumenMetrics metrics) {
    this.kind = kind;
    this.clock = clock;
    this.pacing = pacing;
    this.metrics = metrics;
  }

  /**
   * An evaluation of the resource begins now; if it was scheduled, how late it is recorded (one
   * that an event brings early is not late).
   */
  public void begin(HasMetadata resource) {
    Instant now = clock.instant();
    Instant wasDue = due.remove(key(resource));
    if (wasDue != null && !now.isBefore(wasDue)) {
      metrics.lateness(kind, Duration.between(wasDue, now));
    }
  }

  /**
   * Reconcile again at the clock instant {@code at} (a wait in real time for the clock's speed), or
   * only on a change of the resource when empty.
   */
  public <R extends HasMetadata> UpdateControl<R> next(
      HasMetadata resource, Optional<Instant> next) {
    if (next.isEmpty()) {
      due.remove(key(resource));
      return UpdateControl.noUpdate();
    }
    Instant at = next.get();
    due.put(key(resource), at);
    Duration left = Duration.between(clock.instant(), at);
    return UpdateControl.<R>noUpdate()
        .rescheduleAfter(pacing.real(left.isNegative() ? Duration.ZERO : left));
  }

  public void forget(HasMetadata resource) {
    due.remove(key(resource));
  }

  private static String key(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
