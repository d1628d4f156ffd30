package dev.lumen.bulkhead;

import dev.lumen.ports.MetricSource;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** A metric source whose calls go through its endpoint's bulkhead. */
final class BulkheadMetricSource implements MetricSource {
  private final MetricSource delegate;
  private final Bulkhead bulkhead;

  BulkheadMetricSource(MetricSource delegate, Bulkhead bulkhead) {
    this.delegate = delegate;
    this.bulkhead = bulkhead;
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    return bulkhead.call(() -> delegate.read(request));
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    return bulkhead.call(() -> delegate.memorystoreHitRatios(project, instanceIds, start, end));
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
    return bulkhead.call(() -> delegate.customSeries(project, query, start, end));
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    return bulkhead.call(() -> delegate.promqlSeries(project, query, start, end, step));
  }

  @Override
  public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    return bulkhead.call(() -> delegate.readMinutes(request));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
