package dev.lumen.quota;

import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The operator's budgets of Google API calls, each per project and per minute.
 *
 * @param monitoringCallsPerMinute Cloud Monitoring reads (ListTimeSeries)
 * @param cloudRunCallsPerMinute Cloud Run Admin API calls (GetService, ListRevisions,
 *     UpdateService)
 * @param maxWait how long a call waits for its turn before it fails as transient
 */
public record GoogleBudgets(
    int monitoringCallsPerMinute, int cloudRunCallsPerMinute, Duration maxWait) {
  /**
   * A tenth of Cloud Monitoring's default read quota (6,000 a minute per project), leaving the rest
   * to dashboards and other tools; and as much for Cloud Run, whose default is higher.
   */
  public static final int DEFAULT_CALLS_PER_MINUTE = 600;

  /**
   * For the simulation: its clock runs up to hundreds of times faster than real time, and the
   * budgets are per real minute, so a production budget would throttle a demo's operator.
   */
  public static GoogleBudgets unlimited(Duration maxWait) {
    return new GoogleBudgets(Integer.MAX_VALUE, Integer.MAX_VALUE, maxWait);
  }

  public static GoogleBudgets defaults(Duration maxWait) {
    return new GoogleBudgets(DEFAULT_CALLS_PER_MINUTE, DEFAULT_CALLS_PER_MINUTE, maxWait);
  }

  public CloudRunServices cloudRun(CloudRunServices delegate, MeterRegistry registry) {
    return new BudgetedCloudRun(
        delegate, new CallBudget("run.googleapis.com", cloudRunCallsPerMinute, maxWait, registry));
  }

  public MetricSource monitoring(MetricSource delegate, MeterRegistry registry) {
    return new BudgetedMetricSource(
        delegate,
        new CallBudget("monitoring.googleapis.com", monitoringCallsPerMinute, maxWait, registry));
  }
}
