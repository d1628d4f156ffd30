package dev.lumen.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges that belong to one resource each, served to Prometheus straight from what the last
 * reconcile recorded. A resource's gauges are replaced as a whole at every update, so a value that
 * is no longer measured (an objective removed, a canary finished) disappears from /metrics instead
 * of showing its last value forever.
 *
 * <p>They are not Micrometer meters: at 10,000 policies a Micrometer gauge per series made a
 * /metrics scrape take seconds (Micrometer builds every meter's snapshot on each scrape); here a
 * scrape reads one immutable list per resource.
 */
final class ResourceGauges implements MultiCollector {
  private final Map<String, Family> families = new ConcurrentHashMap<>();
  private final Map<String, Map<String, List<GaugeDataPointSnapshot>>> byResource =
      new ConcurrentHashMap<>();

  private record Family(String name, String help) {}

  /** Serves the gauges in {@code registry}'s scrape, when it is a Prometheus registry. */
  void exportTo(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().register(this);
    }
  }

  /** Collects the values of one resource, then {@link Values#publish()} swaps them in. */
  Values update(String resource) {
    return new Values(resource);
  }

  void forget(String resource) {
    byResource.remove(resource);
  }

  /** The label sets of {@code family} that are served now, for tests and the benchmark. */
  List<Labels> series(String family) {
    List<Labels> labels = new ArrayList<>();
    for (var resource : byResource.values()) {
      resource.getOrDefault(family, List.of()).forEach(point -> labels.add(point.getLabels()));
    }
    return labels;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, GaugeSnapshot.Builder> builders = new TreeMap<>();
    for (var resource : byResource.values()) {
      resource.forEach(
          (family, points) -> {
            GaugeSnapshot.Builder builder =
                builders.computeIfAbsent(
                    family, f -> GaugeSnapshot.builder().name(f).help(families.get(f).help()));
            points.forEach(builder::dataPoint);
          });
    }
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    builders.values().forEach(builder -> snapshots.metricSnapshot(builder.build()));
    return snapshots.build();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.copyOf(families.keySet());
  }

  final class Values {
    private final String resource;
    private final Map<String, Map<Labels, Double>> values = new LinkedHashMap<>();

    private Values(String resource) {
      this.resource = resource;
    }

    /**
     * Sets one series. {@code family} is the Prometheus name; a label set given twice keeps the
     * last value, so a status that names an objective twice cannot make the scrape fail.
     */
    Values set(String family, String help, Labels labels, double value) {
      families.putIfAbsent(family, new Family(family, help));
      values.computeIfAbsent(family, f -> new LinkedHashMap<>()).put(labels, value);
      return this;
    }

    void publish() {
      Map<String, List<GaugeDataPointSnapshot>> points = new LinkedHashMap<>();
      values.forEach((family, series) -> points.put(family, dataPoints(series.entrySet())));
      byResource.put(resource, Map.copyOf(points));
    }

    private static List<GaugeDataPointSnapshot> dataPoints(
        Collection<Map.Entry<Labels, Double>> series) {
      List<GaugeDataPointSnapshot> points = new ArrayList<>(series.size());
      series.forEach(e -> points.add(new GaugeDataPointSnapshot(e.getValue(), e.getKey(), null)));
      return List.copyOf(points);
    }
  }
}
