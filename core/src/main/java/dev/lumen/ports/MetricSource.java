package dev.lumen.ports;

import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cloud Run metrics for many services at once. One call covers every listed service of one project
 * over one window, so a cycle costs one request per project and metric kind however many policies
 * there are. A failure is a {@link PortException}; the caller treats it as no data.
 */
public interface MetricSource extends AutoCloseable {
  Map<RevisionKey, RevisionMetrics> read(MetricRequest request);

  /**
   * What each revision did in each whole minute of the request's window, by the minute's start:
   * history for a backtest. This default reads minute by minute; a source that can align per minute
   * on the server does it in one call per kind.
   */
  default Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> minutes =
        new java.util.HashMap<>();
    for (Instant minute = request.start();
        !minute.plusSeconds(60).isAfter(request.end());
        minute = minute.plusSeconds(60)) {
      var at = minute;
      read(new MetricRequest(
              request.project(),
              request.services(),
              minute,
              minute.plusSeconds(60),
              request.kinds()))
          .forEach(
              (revision, metrics) ->
                  minutes
                      .computeIfAbsent(revision, r -> new java.util.TreeMap<>())
                      .put(at, metrics));
    }
    return minutes;
  }

  /**
   * Memorystore hit ratios (0 to 1, averaged over the window) of the listed Redis instances of one
   * project; an instance without data is left out.
   */
  Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end);

  /**
   * The values of a custom objective's Monitoring query over [start, end], oldest first. The query
   * must come to one series; none is no data (an empty list), several is an error naming the fix.
   *
   * @throws PortException also when the source cannot evaluate Monitoring filters (Prometheus)
   */
  List<dev.lumen.engine.measure.Sample> customSeries(
      String project, CustomSeriesQuery query, Instant start, Instant end);

  /**
   * The values of a custom objective's PromQL query over [start, end], one per {@code step}, oldest
   * first: a Prometheus evaluates it itself; Cloud Monitoring through its Prometheus-compatible
   * query API over {@code project}'s metrics scope. The query must describe one series; none is no
   * data (an empty list), several is a permanent error naming the fix.
   */
  List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step);

  @Override
  void close();

  /** What to read. The window should end a few minutes before now: samples arrive late. */
  record MetricRequest(
      String project, Set<String> services, Instant start, Instant end, Set<MetricKind> kinds) {
    /** Cloud Monitoring shows a sample up to 3 minutes after it is taken. */
    public static final java.time.Duration DEFAULT_DATA_DELAY = java.time.Duration.ofMinutes(3);

    /**
     * A window of {@code length} that ends {@code dataDelay} before {@code now}, so that it holds
     * only samples that have arrived: a window reaching up to now would read a partial minute as a
     * quiet one.
     */
    public static MetricRequest lagging(
        String project,
        Set<String> services,
        Instant now,
        java.time.Duration dataDelay,
        java.time.Duration length,
        Set<MetricKind> kinds) {
      Instant end = now.minus(dataDelay);
      return new MetricRequest(project, services, end.minus(length), end, kinds);
    }
  }

  /** The metric families Lumen reads, each one query. */
  enum MetricKind {
    /** run.googleapis.com/request_count by response class. */
    REQUESTS,
    /** run.googleapis.com/request_latencies, a distribution in ms. */
    LATENCIES,
    /** run.googleapis.com/container/billable_instance_time, seconds. */
    BILLABLE_INSTANCE_TIME,
    /** run.googleapis.com/container/startup_latencies: its count is the number of cold starts. */
    STARTUPS,
    /** run.googleapis.com/container/instance_count, averaged over the window. */
    INSTANCES
  }

  /** A revision by region, service and name: one project may run a service name in two regions. */
  record RevisionKey(String region, String service, String revision) {}

  /**
   * What one revision did in the window; a kind that was not read or had no data is empty. A
   * revision that served no requests has no request counts and no latency: no traffic is no data.
   */
  record RevisionMetrics(
      Optional<RequestCounts> requests,
      Optional<LatencyDistribution> latency,
      Optional<Double> billableInstanceSeconds,
      Optional<Long> coldStarts,
      Optional<Double> meanInstances) {
    public static final RevisionMetrics EMPTY =
        new RevisionMetrics(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
  }
}
