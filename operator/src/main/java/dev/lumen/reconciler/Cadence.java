package dev.lumen.reconciler;

import dev.lumen.metrics.LumenMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  private final Set<String> underWay = ConcurrentHashMap.newKeySet();

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
    String key = key(resource);
    Instant wasDue = due.remove(key);
    underWay.add(key);
    pacing.listener().due(key, now);
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
    String key = key(resource);
    underWay.remove(key);
    if (next.isEmpty()) {
      due.remove(key);
      pacing.listener().done(key);
      return UpdateControl.noUpdate();
    }
    Instant at = next.get();
    due.put(key, at);
    pacing.listener().due(key, at);
    Duration left = Duration.between(clock.instant(), at);
    return UpdateControl.<R>noUpdate()
        .rescheduleAfter(pacing.real(left.isNegative() ? Duration.ZERO : left));
  }

  /**
   * The reconcile that {@link #begin began} is over; when it ended without {@link #next} (it
   * failed), nothing is awaited of the resource until its retry.
   */
  public void finish(HasMetadata resource) {
    String key = key(resource);
    if (underWay.remove(key)) {
      pacing.listener().done(key);
    }
  }

  public void forget(HasMetadata resource) {
    String key = key(resource);
    due.remove(key);
    underWay.remove(key);
    pacing.listener().done(key);
  }

  private String key(HasMetadata resource) {
    return kind
        + "/"
        + resource.getMetadata().getNamespace()
        + "/"
        + resource.getMetadata().getName();
  }
}
