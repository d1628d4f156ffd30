package dev.lumen.quota;

import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The operator's quotas of Google API calls, each per project and per minute.
 *
 * @param monitoringCallsPerMinute Cloud Monitoring reads (ListTimeSeries)
 * @param cloudRunCallsPerMinute Cloud Run Admin API calls (GetService, ListRevisions,
 *     UpdateService)
 * @param maxWait how long a call waits for its turn before it fails as transient
 * @param namespaceShare the part of each quota one namespace's resources may spend, in (0, 1]
 */
public record GoogleCallQuotas(
    int monitoringCallsPerMinute,
    int cloudRunCallsPerMinute,
    Duration maxWait,
    double namespaceShare) {
  /** Half: one namespace leaves at least half of a project's calls to the others. */
  public static final double DEFAULT_NAMESPACE_SHARE = 0.5;

  public GoogleCallQuotas(
      int monitoringCallsPerMinute, int cloudRunCallsPerMinute, Duration maxWait) {
    this(monitoringCallsPerMinute, cloudRunCallsPerMinute, maxWait, DEFAULT_NAMESPACE_SHARE);
  }

  /**
   * A tenth of Cloud Monitoring's default read quota (6,000 a minute per project), leaving the rest
   * to dashboards and other tools; and as much for Cloud Run, whose default is higher.
   */
  public static final int DEFAULT_CALLS_PER_MINUTE = 600;

  /**
   * For the simulation: its clock runs up to hundreds of times faster than real time, and the
   * quotas are per real minute, so a production quota would throttle a demo's operator.
   */
  public static GoogleCallQuotas unlimited(Duration maxWait) {
    return new GoogleCallQuotas(Integer.MAX_VALUE, Integer.MAX_VALUE, maxWait, 1.0);
  }

  public static GoogleCallQuotas defaults(Duration maxWait) {
    return new GoogleCallQuotas(DEFAULT_CALLS_PER_MINUTE, DEFAULT_CALLS_PER_MINUTE, maxWait);
  }

  public CloudRunServices cloudRun(CloudRunServices delegate, MeterRegistry registry) {
    return new QuotaLimitedCloudRun(
        delegate,
        new CallQuota(
            "run.googleapis.com",
            cloudRunCallsPerMinute,
            share(cloudRunCallsPerMinute),
            maxWait,
            registry));
  }

  public MetricSource monitoring(MetricSource delegate, MeterRegistry registry) {
    return new QuotaLimitedMetricSource(
        delegate,
        new CallQuota(
            "monitoring.googleapis.com",
            monitoringCallsPerMinute,
            share(monitoringCallsPerMinute),
            maxWait,
            registry));
  }

  private int share(int callsPerMinute) {
    return (int) Math.max(1, Math.min(callsPerMinute, Math.floor(callsPerMinute * namespaceShare)));
  }
}
