package dev.lumen.monitoring;

/**
 * Lumen's own figures as Cloud Monitoring custom metrics, one name for the dashboard that reads
 * them and the writer that keeps them.
 */
public final class LumenMetricTypes {
  static final String PREFIX = "custom.googleapis.com/lumen/";

  /** Share of an SLOTarget's objectives met, in percent. */
  public static final String SLO_COMPLIANCE = PREFIX + "slo_compliance";

  /** An objective's measured value in its unit; label objective. */
  public static final String OBJECTIVE_VALUE = PREFIX + "objective_value";

  /** Error budget left of an objective, in percent of the budget; label objective. */
  public static final String ERROR_BUDGET_REMAINING = PREFIX + "error_budget_remaining";

  /** The service's maturity score, 0 to 100. */
  public static final String MATURITY_SCORE = PREFIX + "maturity_score";

  /** Return on investment of the service's spend, in percent. */
  public static final String ROI_PERCENT = PREFIX + "roi_percent";

  /** The month's spend forecast of the service, in the budget's currency; label currency. */
  public static final String MONTHLY_COST = PREFIX + "monthly_cost";

  /** The SLOTarget's state: 0 Healthy, 1 Warning, 2 Critical; no point without data. */
  public static final String SLO_STATE = PREFIX + "slo_state";

  /** An objective's burn rate over a window pair's long window; labels objective, window. */
  public static final String BURN_RATE = PREFIX + "burn_rate";

  /** The service's health score, 0 to 100. */
  public static final String HEALTH_SCORE = PREFIX + "health_score";

  /** Percent of traffic on the canary; 0 without a rollout. */
  public static final String CANARY_WEIGHT = PREFIX + "canary_weight";

  /** The cache's hit rate, in percent. */
  public static final String CACHE_HIT_RATE = PREFIX + "cache_hit_rate";

  /** Decisions Lumen made in the minute before the point; label decision (e.g. Promoted). */
  public static final String DECISIONS = PREFIX + "decisions";

  private LumenMetricTypes() {}
}
