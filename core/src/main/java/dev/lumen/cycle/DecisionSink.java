package dev.lumen.cycle;

import dev.lumen.engine.Severity;

/**
 * Where a cycle reports what it saw and did, besides status: events (Kubernetes events for the
 * operator, the journal for the backtest) and the resource's figures and alerts.
 *
 * @param <S> the status type
 */
public interface DecisionSink<S> {
  /** One decision or happening, in words; a warning when a person should look. */
  void event(boolean warning, String reason, String message);

  /**
   * A notification for people (Slack), sent to the channel of its severity: a change of traffic or
   * health, once per transition.
   */
  void notify(Severity severity, String kind, String message);

  /** The status as written at the end of a cycle: gauges, firing alerts. */
  void report(S status);

  /** A cycle failed outside the ports (counted; the event and status say the rest). */
  void failed(RuntimeException failure);
}
