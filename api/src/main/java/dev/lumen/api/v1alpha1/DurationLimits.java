package dev.lumen.api.v1alpha1;

/**
 * The longest (and where it matters, shortest) value of every duration field. The schema's CEL
 * rules and the semantic checks both read these, so a value the cluster accepts is one Lumen can
 * compute with: no duration reaches an overflow.
 */
public final class DurationLimits {
  /** Analysis and SLO evaluation intervals: often enough to act, seldom enough to measure. */
  public static final String MIN_INTERVAL = "10s";

  public static final String MAX_INTERVAL = "1h";

  /** Latency limits: Cloud Run ends a request after 60 minutes at most. */
  public static final String MAX_LATENCY = "1h";

  /** Longest stable history a comparison counts: a week, before which a service has changed. */
  public static final String MAX_STABLE_HISTORY = "168h";

  /** A rollout step that cannot pass for a day is stuck, not slow. */
  public static final String MAX_PROGRESS_DEADLINE = "24h";

  /** Holding a decided rollback for longer than a day leaves a bad canary serving. */
  public static final String MAX_GRACE_PERIOD = "24h";

  /**
   * A watch after promotion sees at least a few whole minutes of metrics; past a day a regression
   * is no longer the rollout's.
   */
  public static final String MIN_WATCH = "5m";

  public static final String MAX_WATCH = "24h";

  /** A step may bake for up to a week. */
  public static final String MAX_PAUSE = "168h";

  /** Tuning changes at least once a week. */
  public static final String MAX_COOLDOWN = "168h";

  /** A custom objective's "for" fits in the longest compliance window, 90 days. */
  public static final String MAX_FOR = "2160h";

  private DurationLimits() {}
}
