package dev.lumen.cycle;

/**
 * Where a cycle reports what it saw and did, besides status: events (Kubernetes events for the
 * operator, the journal for the backtest) and the resource's figures and alerts.
 *
 * @param <S> the status type
 */
public interface DecisionSink<S> {
  /** One decision or happening, in words; a warning when a person should look. */
  void event(boolean warning, String reason, String message);

  /** The status as written at the end of a cycle: gauges, firing alerts. */
  void report(S status);

  /** A cycle failed outside the ports (counted; the event and status say the rest). */
  void failed(RuntimeException failure);
}
