package dev.lumen.ports;

import dev.lumen.engine.measure.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Metrics through another {@link MetricSource}: a subclass changes only what it is for (a view per
 * identity, counting). Closing it leaves the delegate to its owner.
 */
public abstract class ForwardingMetricSource implements MetricSource {
  protected final MetricSource delegate;

  protected ForwardingMetricSource(MetricSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    return delegate.read(request);
  }

  @Override
  public Map<RevisionKey, NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    return delegate.readMinutes(request);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    return delegate.memorystoreHitRatios(project, instanceIds, start, end);
  }

  @Override
  public List<Sample> customSeries(
      String project, CustomSeriesQuery query, Instant start, Instant end) {
    return delegate.customSeries(project, query, start, end);
  }

  @Override
  public List<Sample> promqlSeries(
      String project, String query, Instant start, Instant end, Duration step) {
    return delegate.promqlSeries(project, query, start, end, step);
  }

  @Override
  public void close() {}
}
