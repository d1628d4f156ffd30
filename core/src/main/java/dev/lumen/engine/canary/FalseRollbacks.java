package dev.lumen.engine.canary;

/**
 * One false-rollback budget per rollout, shared by every check that can roll a canary back: a
 * canary no worse than its limits and the tolerance is rolled back in at most 1 % of rollouts,
 * however long the rollout and however often it is judged. Each check's tests hold at every look,
 * so the shares add up (a union bound).
 */
final class FalseRollbacks {
  static final double PER_ROLLOUT = 0.01;

  /** The comparisons with stable find the regressions a limit cannot, so they get most of it. */
  static final double ERROR_RATE_VS_STABLE = 0.004;

  /**
   * Not a rollback budget: at most this share of rollouts whose unchanged stable rate sets its
   * history aside ({@link StableHistoryCheck#share}, a fifth of the promotion's guarantee below
   * that). A promotion weighed with the history then falls back to the steps' own evidence, which
   * could promote too, so a promotion's guarantee gives the share up to it. Generous, so that a
   * stable rate that has moved sets its history aside before the promotion trusts it: a false
   * set-aside costs only time.
   */
  static final double STABLE_HISTORY = 0.01;

  static final double LATENCY_VS_STABLE = 0.003;

  /**
   * Each rate limit: errorRate, successRate and the two rate triggers of spec.rollout.rollback: the
   * fast way out for a canary failing far above its limits, where every minute of exposure counts.
   */
  static final double RATE_LIMIT = 0.0006;

  /** latencyP95 judges each step's latency afresh, so its share is spread over four steps. */
  static final double LATENCY_LIMIT_PER_STEP = 0.00015;

  private FalseRollbacks() {}
}
