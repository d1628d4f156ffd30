package dev.lumen.quota;

import dev.lumen.ports.MetricSource;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Metric reads within the project's quota. */
public final class QuotaLimitedMetricSource implements MetricSource {
  private final MetricSource delegate;
  private final CallQuota quota;

  public QuotaLimitedMetricSource(MetricSource delegate, CallQuota quota) {
    this.delegate = delegate;
    this.quota = quota;
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    quota.spend(request.project());
    return delegate.read(request);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    quota.spend(project);
    return delegate.memorystoreHitRatios(project, instanceIds, start, end);
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
    quota.spend(project);
    return delegate.customSeries(project, query, start, end);
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    quota.spend(project);
    return delegate.promqlSeries(project, query, start, end, step);
  }

  @Override
  public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    quota.spend(request.project());
    return delegate.readMinutes(request);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
