package dev.lumen.reconciler;

import java.time.Instant;

/**
 * Told when each evaluation is due, while it runs, and when nothing more is awaited of it. The
 * demo's clock listens and does not run far past an evaluation that is due or under way: on a fast
 * clock a busy machine would otherwise let the scenario run ahead of Lumen, and a reconcile's 200
 * ms would last 24 scenario seconds at 120x. In production nobody listens.
 */
public interface ScheduleListener {
  ScheduleListener NONE =
      new ScheduleListener() {
        @Override
        public void due(String evaluation, Instant at) {}

        @Override
        public void done(String evaluation) {}
      };

  /**
   * {@code evaluation} (kind/namespace/name) is due at {@code at} in the operator's clock, or has
   * been under way since {@code at}.
   */
  void due(String evaluation, Instant at);

  /** Nothing more is awaited of {@code evaluation} until it is due again. */
  void done(String evaluation);
}
