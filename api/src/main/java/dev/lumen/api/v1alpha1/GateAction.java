package dev.lumen.api.v1alpha1;

/** What Lumen does while a gate fails. */
public enum GateAction {
  /**
   * No new rollout starts, and a rollout in progress holds at its step (it still rolls back on its
   * triggers); a person goes past it with lumen.dev/override-gates or lumen.dev/promote.
   */
  Block,
  /** A canary in progress is rolled back, announced with the grace period like other triggers. */
  Rollback,
  /** Conditions and notifications only. */
  Notify
}
