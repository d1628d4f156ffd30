package dev.lumen.cycle;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.ObservedStatus;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A cycle that failed outside what the ports report (a bug, a value no check foresaw): nothing is
 * decided, and the resource must not go on reading Ready=True. Its status says why, an event and a
 * counter record it, and the cycle is tried again.
 */
final class CycleFailure {
  static final String REASON = "ReconcileFailing";
  private static final int MAX_DETAIL = 1000;

  private CycleFailure() {}

  /**
   * Writes Ready=False with the failure; a failure of that write leaves the cycle (the API server
   * is the one failing, and the framework retries).
   */
  static <S extends ObservedStatus> S report(
      RuntimeException failure,
      long generation,
      StatusStore<S> store,
      DecisionSink<S> sink,
      Supplier<S> empty,
      Instant now) {
    String detail = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 3) + "...";
    }
    String message = "the last cycle failed and nothing was decided: " + detail;
    sink.failed(failure);
    sink.event(true, REASON, message);
    S written =
        ReadyCondition.write(
            store, empty, generation, new Readiness(Condition.Status.False, REASON, message), now);
    sink.report(written);
    return written;
  }
}
