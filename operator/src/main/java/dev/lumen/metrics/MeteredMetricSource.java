package dev.lumen.metrics;

import dev.lumen.ports.MetricSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** A metric source with every read counted. */
public final class MeteredMetricSource implements MetricSource {
  private final MetricSource delegate;
  private final ApiCalls calls;

  public MeteredMetricSource(MetricSource delegate, MeterRegistry registry, String api) {
    this.delegate = delegate;
    this.calls = new ApiCalls(registry, api);
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    return calls.call("ListTimeSeries", () -> delegate.read(request));
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    return calls.call(
        "ListTimeSeries.memorystore",
        () -> delegate.memorystoreHitRatios(project, instanceIds, start, end));
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
    return calls.call(
        "ListTimeSeries.custom", () -> delegate.customSeries(project, query, start, end));
  }

  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    return calls.call(
        "PromQL.query_range", () -> delegate.promqlSeries(project, query, start, end, step));
  }

  @Override
  public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    return calls.call("ListTimeSeries.minutes", () -> delegate.readMinutes(request));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
