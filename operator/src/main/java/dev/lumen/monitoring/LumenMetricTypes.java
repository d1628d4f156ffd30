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

  /** The month's projected spend of the service, in USD. */
  public static final String MONTHLY_COST = PREFIX + "monthly_cost_usd";

  /** The cache's hit rate, in percent. */
  public static final String CACHE_HIT_RATE = PREFIX + "cache_hit_rate";

  /** Decisions Lumen made, one point per decision; label decision (e.g. Promoted). */
  public static final String DECISIONS = PREFIX + "decisions";

  private LumenMetricTypes() {}
}
