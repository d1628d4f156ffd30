package dev.lumen.api.v1alpha1;

/**
 * Where a policy's rollout is between two decisions; derived from the rest of status, so that
 * {@code kubectl get lp} and a reader of the rollout's rules see the same states.
 */
public enum RolloutPhase {
  /** No rollout: the stable revision serves everything. */
  Idle,
  /** A canary serves its step's weight while its analysis runs. */
  Progressing,
  /** A canary waits at an approval step for lumen.dev/approve. */
  AwaitingApproval,
  /** A rollback was announced (or recommended) and waits for its grace period or a person. */
  RollbackPending,
  /**
   * A promoted revision is watched (spec.rollout.postPromotion) and rolled back to the one it
   * replaced if it breaks a rollback trigger before the window ends.
   */
  Watching,
  /** Someone else changed the traffic split; Lumen waits for a person rather than fight it. */
  Paused
}
