package dev.lumen.tenancy;

import dev.lumen.ports.MetricSource;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A distinct view of Cloud Monitoring over the same client; closing it leaves the client to its
 * owner.
 */
final class MonitoringView implements MetricSource {
  private final MetricSource client;

  MonitoringView(MetricSource client) {
    this.client = client;
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    return client.read(request);
  }

  @Override
  public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    return client.readMinutes(request);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    return client.memorystoreHitRatios(project, instanceIds, start, end);
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
    return client.customSeries(project, query, start, end);
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    return client.promqlSeries(project, query, start, end, step);
  }

  @Override
  public void close() {}
}
