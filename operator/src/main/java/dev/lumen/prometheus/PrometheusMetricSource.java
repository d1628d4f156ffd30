package dev.lumen.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.MetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Cloud Run's metrics read with PromQL, under the names Google Cloud Managed Service for Prometheus
 * gives them ({@code run.googleapis.com/request_count} is {@code
 * run_googleapis_com:request_count}): for clusters whose Prometheus holds them. One instant query
 * per project and metric kind covers every listed service; counts are {@code increase()} over the
 * window, which Prometheus extrapolates to the window's edges, so they are close, not exact.
 */
public final class PrometheusMetricSource implements MetricSource {
  static final String BY_REVISION = "location, service_name, revision_name";

  /** Cloud Run's request counter as Managed Service for Prometheus names it. */
  public static final String REQUEST_COUNT = "run_googleapis_com:request_count";

  /** Cloud Run's latency histogram ({@code _bucket}, {@code _count} series), in milliseconds. */
  public static final String REQUEST_LATENCIES = "run_googleapis_com:request_latencies";

  private final PrometheusApi api;
  private final PromqlClient promql;

  public PrometheusMetricSource(HttpEndpoint endpoint, Duration timeout) {
    this.api = new PrometheusApi(endpoint, timeout);
    this.promql = new PromqlClient(api);
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    if (request.services().isEmpty()) {
      return Map.of();
    }
    long window = Math.max(1, Duration.between(request.start(), request.end()).toSeconds());
    String selector =
        "{project_id=\""
            + request.project()
            + "\",service_name=~\"^("
            + request.services().stream()
                .sorted()
                .map(PrometheusMetricSource::regexLiteral)
                .collect(Collectors.joining("|"))
            + ")$\"}";
    Map<RevisionKey, Builder> revisions = new HashMap<>();
    for (MetricKind kind : request.kinds()) {
      String query = query(kind, selector, window);
      JsonNode result =
          api.get(
                  "query",
                  Map.of("query", query, "time", PrometheusApi.seconds(request.end())),
                  query)
              .path("result");
      for (JsonNode series : result) {
        JsonNode labels = series.path("metric");
        var key =
            new RevisionKey(
                labels.path("location").asText(""),
                labels.path("service_name").asText(""),
                labels.path("revision_name").asText(""));
        double value = PrometheusApi.parse(series.path("value").get(1).asText());
        if (!Double.isNaN(value)) {
          revisions.computeIfAbsent(key, k -> new Builder()).add(kind, labels, value);
        }
      }
    }
    Map<RevisionKey, RevisionMetrics> result = new HashMap<>();
    revisions.forEach((key, builder) -> result.put(key, builder.build(request.kinds())));
    return result;
  }

  /** The Prometheus evaluates the query itself, over whatever it holds; the project is not used. */
  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, java.time.Instant start, java.time.Instant end, Duration step) {
    return promql.series(query, start, end, step);
  }

  /** A Prometheus source takes PromQL, not Monitoring filters. */
  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project,
      dev.lumen.ports.CustomSeriesQuery query,
      java.time.Instant start,
      java.time.Instant end) {
    throw dev.lumen.ports.PortException.permanentFailure(
        "a Cloud Monitoring filter is evaluated by a cloudMonitoring source; a prometheus source"
            + " takes PromQL",
        null);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project,
      java.util.Set<String> instanceIds,
      java.time.Instant start,
      java.time.Instant end) {
    if (instanceIds.isEmpty()) {
      return Map.of();
    }
    long window = Math.max(1, Duration.between(start, end).toSeconds());
    String query =
        "avg by (instance_id) (avg_over_time(redis_googleapis_com:stats_cache_hit_ratio{project_id=\""
            + project
            + "\",instance_id=~\"^("
            + instanceIds.stream()
                .sorted()
                .map(PrometheusMetricSource::regexLiteral)
                .collect(Collectors.joining("|"))
            + ")$\"}["
            + window
            + "s]))";
    Map<String, Double> ratios = new HashMap<>();
    for (JsonNode series :
        api.get("query", Map.of("query", query, "time", PrometheusApi.seconds(end)), query)
            .path("result")) {
      double value = PrometheusApi.parse(series.path("value").get(1).asText());
      if (!Double.isNaN(value)) {
        ratios.put(series.path("metric").path("instance_id").asText(""), value);
      }
    }
    return ratios;
  }

  /** A value as a literal inside a PromQL regex in a double-quoted string. */
  static String regexLiteral(String value) {
    return value.replaceAll("[.\\\\+*?()|\\[\\]{}^$]", "\\\\\\\\$0");
  }

  static String query(MetricKind kind, String selector, long windowSeconds) {
    String range = "[" + windowSeconds + "s]";
    return switch (kind) {
      case REQUESTS ->
          "sum by ("
              + BY_REVISION
              + ", response_code_class) (increase("
              + REQUEST_COUNT
              + selector
              + range
              + "))";
      case LATENCIES ->
          "sum by ("
              + BY_REVISION
              + ", le) (increase("
              + REQUEST_LATENCIES
              + "_bucket"
              + selector
              + range
              + "))";
      case BILLABLE_INSTANCE_TIME ->
          "sum by ("
              + BY_REVISION
              + ") (increase(run_googleapis_com:container_billable_instance_time"
              + selector
              + range
              + "))";
      case STARTUPS ->
          "sum by ("
              + BY_REVISION
              + ") (increase(run_googleapis_com:container_startup_latencies_count"
              + selector
              + range
              + "))";
      case INSTANCES ->
          "sum by ("
              + BY_REVISION
              + ") (avg_over_time(run_googleapis_com:container_instance_count"
              + selector
              + range
              + "))";
    };
  }

  /** Folds the series of one revision; histogram buckets come cumulative by {@code le}. */
  private static final class Builder {
    final Map<String, Double> byClass = new HashMap<>();
    final TreeMap<Double, Double> cumulativeByLe = new TreeMap<>();
    Double billable;
    Double coldStarts;
    Double instances;

    void add(MetricKind kind, JsonNode labels, double value) {
      switch (kind) {
        case REQUESTS ->
            byClass.merge(labels.path("response_code_class").asText(""), value, Double::sum);
        case LATENCIES ->
            cumulativeByLe.merge(
                PrometheusApi.parse(labels.path("le").asText("+Inf")), value, Double::sum);
        case BILLABLE_INSTANCE_TIME -> billable = (billable == null ? 0 : billable) + value;
        case STARTUPS -> coldStarts = (coldStarts == null ? 0 : coldStarts) + value;
        case INSTANCES -> instances = (instances == null ? 0 : instances) + value;
      }
    }

    RevisionMetrics build(java.util.Set<MetricKind> kinds) {
      long total = Math.round(byClass.values().stream().mapToDouble(Double::doubleValue).sum());
      long client = Math.round(byClass.getOrDefault("4xx", 0.0));
      long server = Math.round(byClass.getOrDefault("5xx", 0.0));
      Optional<RequestCounts> requests =
          total > 0
              ? Optional.of(
                  new RequestCounts(
                      total,
                      Math.min(client, total),
                      Math.min(server, total - Math.min(client, total))))
              : Optional.empty();
      return new RevisionMetrics(
          requests,
          latency(),
          Optional.ofNullable(billable),
          kinds.contains(MetricKind.STARTUPS)
              ? Optional.of(coldStarts == null ? 0L : Math.round(coldStarts))
              : Optional.empty(),
          Optional.ofNullable(instances));
    }

    /**
     * Cumulative {@code le} buckets to per-bucket counts; extrapolation noise never goes below 0.
     */
    private Optional<LatencyDistribution> latency() {
      if (cumulativeByLe.isEmpty()) {
        return Optional.empty();
      }
      List<Double> bounds = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      double previous = 0;
      for (var entry : cumulativeByLe.entrySet()) {
        long count = Math.max(0, Math.round(entry.getValue() - previous));
        previous = Math.max(previous, entry.getValue());
        if (Double.isInfinite(entry.getKey())) {
          counts.add(count);
        } else {
          bounds.add(entry.getKey());
          counts.add(count);
        }
      }
      if (counts.size() == bounds.size()) {
        counts.add(0L);
      }
      var distribution =
          new LatencyDistribution(
              bounds.stream().mapToDouble(Double::doubleValue).toArray(),
              counts.stream().mapToLong(Long::longValue).toArray());
      return distribution.total() > 0 ? Optional.of(distribution) : Optional.empty();
    }
  }

  @Override
  public void close() {}
}
