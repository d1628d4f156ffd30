package dev.lumen.ports;

import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cloud Run metrics in memory: raw points as Cloud Run would write them, aggregated on read. It is
 * the in-memory MetricSource and the store behind the loopback Monitoring fake, so both answer from
 * the same data.
 */
public final class FakeMetrics implements MetricSource, MetricWriter {
  /** Latency buckets of the fake: Cloud Run's exponential layout is approximated by 1.4x steps. */
  public static final double[] LATENCY_BOUNDS = LatencyDistribution.exponentialBounds(40, 1.4, 1);

  /**
   * One point: the requests, latencies, instance time and cold starts of one revision and minute.
   */
  public record Point(
      String project,
      String region,
      String service,
      String revision,
      Instant time,
      RequestCounts requests,
      long[] latencyCounts,
      double billableInstanceSeconds,
      long coldStarts,
      double instances) {}

  /** One reading of a Memorystore instance's hit ratio. */
  public record RedisPoint(String project, String instanceId, Instant time, double hitRatio) {}

  /** One value of a custom metric (any metric type other than Cloud Run's and Memorystore's). */
  public record CustomPoint(String project, String metricType, Instant time, double value) {}

  private final List<CustomPoint> customPoints = new ArrayList<>();

  /** One CreateTimeSeries call: its project and points. */
  public record Write(String project, List<MetricWriter.Point> points) {}

  private final List<Write> writes = new ArrayList<>();
  private final Map<MetricWriter.Series, Instant> lastWritten = new HashMap<>();

  /**
   * Holds writes to CreateTimeSeries' rules: at most 200 series a call, one point per series, a
   * series written at most once every 5 seconds and never back in time; each point becomes a custom
   * point, readable by its metric type.
   */
  @Override
  public synchronized void write(String project, List<MetricWriter.Point> points) {
    if (points.isEmpty() || points.size() > MetricWriter.MAX_SERIES) {
      throw PortException.permanentFailure(
          "INVALID_ARGUMENT: a CreateTimeSeries call takes 1 to 200 series, got " + points.size(),
          null);
    }
    var seen = new java.util.HashSet<MetricWriter.Series>();
    for (var point : points) {
      if (!point.series().metricType().startsWith("custom.googleapis.com/")) {
        throw PortException.permanentFailure(
            "INVALID_ARGUMENT: not a custom metric: " + point.series().metricType(), null);
      }
      if (!seen.add(point.series())) {
        throw PortException.permanentFailure(
            "INVALID_ARGUMENT: one point per series per call: " + point.series(), null);
      }
      Instant last = lastWritten.get(point.series());
      if (last != null && point.time().isBefore(last.plusSeconds(5))) {
        throw PortException.permanentFailure(
            "INVALID_ARGUMENT: a series is written at most once every 5 s and in time order: "
                + point.series(),
            null);
      }
    }
    for (var point : points) {
      lastWritten.put(point.series(), point.time());
      customPoints.add(
          new CustomPoint(project, point.series().metricType(), point.time(), point.value()));
    }
    writes.add(new Write(project, List.copyOf(points)));
  }

  /** Every CreateTimeSeries call, in order. */
  public synchronized List<Write> writes() {
    return List.copyOf(writes);
  }

  private static final java.util.regex.Pattern METRIC_TYPE =
      java.util.regex.Pattern.compile("metric\\.type\\s*=\\s*\"([^\"]+)\"");

  public synchronized void record(CustomPoint point) {
    customPoints.add(point);
  }

  /**
   * The fake understands filters on {@code metric.type} only, holds one series per metric type and
   * project, and aligns with ALIGN_MEAN, ALIGN_MAX, ALIGN_MIN or ALIGN_SUM; the reducer has one
   * series to reduce. One value per alignment period that has points, at the period's end.
   */
  @Override
  public synchronized List<dev.lumen.engine.measure.Sample> customSeries(
      String project, CustomSeriesQuery query, Instant start, Instant end) {
    var type = METRIC_TYPE.matcher(query.filter());
    if (!type.find()) {
      throw PortException.permanentFailure(
          "the fake understands only metric.type = \"...\" filters: " + query.filter(), null);
    }
    long period = query.alignmentPeriod().toMillis();
    java.util.TreeMap<Long, List<Double>> periods = new java.util.TreeMap<>();
    for (CustomPoint p : customPoints) {
      if (p.project().equals(project)
          && p.metricType().equals(type.group(1))
          && p.time().isAfter(start)
          && !p.time().isAfter(end)) {
        long index = Math.floorDiv(p.time().toEpochMilli() - start.toEpochMilli() - 1, period);
        periods.computeIfAbsent(index, k -> new ArrayList<>()).add(p.value());
      }
    }
    List<dev.lumen.engine.measure.Sample> samples = new ArrayList<>();
    periods.forEach(
        (index, values) -> {
          var stats = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
          double value =
              switch (query.aligner()) {
                case "ALIGN_MAX" -> stats.getMax();
                case "ALIGN_MIN" -> stats.getMin();
                case "ALIGN_SUM" -> stats.getSum();
                default -> stats.getAverage();
              };
          samples.add(
              new dev.lumen.engine.measure.Sample(start.plusMillis((index + 1) * period), value));
        });
    return samples;
  }

  /**
   * One value of a series that a PromQL query answers. The fake evaluates no PromQL: it holds the
   * series of each query text, as a query API that had evaluated it would answer.
   */
  public record PromqlPoint(
      String project, String query, Map<String, String> labels, Instant time, double value) {}

  /** One series of a query's answer: its labels and values, oldest first. */
  public record PromqlSeries(
      Map<String, String> labels, List<dev.lumen.engine.measure.Sample> samples) {}

  /** How far back a step looks for the newest point, as Prometheus' default lookback delta. */
  public static final java.time.Duration PROMQL_LOOKBACK = java.time.Duration.ofMinutes(5);

  private final List<PromqlPoint> promqlPoints = new ArrayList<>();
  private final Map<String, PortException> promqlFailures = new HashMap<>();

  public synchronized void record(PromqlPoint point) {
    promqlPoints.add(point);
  }

  /** Every query with this text fails so: a parse error is permanent, an outage transient. */
  public synchronized void failPromql(String query, PortException failure) {
    promqlFailures.put(query, failure);
  }

  /**
   * A range query's answer: for each label set, at each step from start to end, the newest point at
   * most {@link #PROMQL_LOOKBACK} old, as Prometheus evaluates an instant selector.
   */
  public synchronized List<PromqlSeries> promqlRange(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    PortException failure = promqlFailures.get(query);
    if (failure != null) {
      throw failure;
    }
    Map<Map<String, String>, java.util.TreeMap<Instant, Double>> byLabels = new HashMap<>();
    for (PromqlPoint p : promqlPoints) {
      if (p.project().equals(project) && p.query().equals(query)) {
        byLabels
            .computeIfAbsent(p.labels(), l -> new java.util.TreeMap<>())
            .put(p.time(), p.value());
      }
    }
    List<PromqlSeries> result = new ArrayList<>();
    byLabels.forEach(
        (labels, points) -> {
          List<dev.lumen.engine.measure.Sample> samples = new ArrayList<>();
          for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
            var newest = points.floorEntry(t);
            if (newest != null && newest.getKey().isAfter(t.minus(PROMQL_LOOKBACK))) {
              samples.add(new dev.lumen.engine.measure.Sample(t, newest.getValue()));
            }
          }
          if (!samples.isEmpty()) {
            result.add(new PromqlSeries(labels, samples));
          }
        });
    return result;
  }

  @Override
  public List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, java.time.Duration step) {
    List<PromqlSeries> series = promqlRange(project, query, start, end, step);
    if (series.size() > 1) {
      throw PortException.permanentFailure(
          "query \""
              + query
              + "\" returns "
              + series.size()
              + " series; a custom objective needs exactly one: aggregate it, e.g. sum(...) or max(...)",
          null);
    }
    return series.isEmpty() ? List.of() : series.get(0).samples();
  }

  private final List<RedisPoint> redisPoints = new ArrayList<>();

  public synchronized void record(RedisPoint point) {
    redisPoints.add(point);
  }

  /** The hit-ratio readings of these instances with a time in (start, end]. */
  private synchronized List<RedisPoint> redisPoints(
      String project, java.util.Set<String> instances, Instant start, Instant end) {
    return redisPoints.stream()
        .filter(p -> p.project().equals(project) && instances.contains(p.instanceId()))
        .filter(p -> p.time().isAfter(start) && !p.time().isAfter(end))
        .toList();
  }

  public synchronized List<RedisPoint> allRedisPoints() {
    return List.copyOf(redisPoints);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, java.util.Set<String> instanceIds, Instant start, Instant end) {
    Map<String, List<Double>> readings = new HashMap<>();
    for (RedisPoint p : redisPoints(project, instanceIds, start, end)) {
      readings.computeIfAbsent(p.instanceId(), k -> new ArrayList<>()).add(p.hitRatio());
    }
    Map<String, Double> result = new HashMap<>();
    readings.forEach(
        (id, values) ->
            result.put(
                id, values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
    return result;
  }

  private final List<Point> points = new ArrayList<>();

  /** By project, then time: a read covers one project, and a fleet has a hundred of them. */
  private final Map<String, java.util.NavigableMap<Instant, List<Point>>> byTime = new HashMap<>();

  private java.util.function.Supplier<Instant> now;
  private java.util.function.Function<Point, java.time.Duration> arrival;

  /**
   * Points become readable only {@code arrival} after their minute ends, as Cloud Monitoring's do
   * (each series on its own), measured on {@code now}; until then reads leave them out.
   */
  public synchronized void arriveLate(
      java.util.function.Supplier<Instant> now,
      java.util.function.Function<Point, java.time.Duration> arrival) {
    this.now = now;
    this.arrival = arrival;
  }

  public synchronized void record(Point point) {
    points.add(point);
    byTime
        .computeIfAbsent(point.project(), p -> new java.util.TreeMap<>())
        .computeIfAbsent(point.time(), t -> new ArrayList<>())
        .add(point);
  }

  public synchronized boolean isEmpty() {
    return points.isEmpty();
  }

  /** Every point recorded, in the order recorded. */
  public synchronized List<Point> all() {
    return List.copyOf(points);
  }

  /** The points of one project and these services with a time in (start, end]. */
  private synchronized List<Point> points(
      String project, java.util.Set<String> services, Instant start, Instant end) {
    // By time first: a day of simulated minutes is read thousands of times.
    return byTime
        .getOrDefault(project, java.util.Collections.emptyNavigableMap())
        .subMap(start, false, end, true)
        .values()
        .stream()
        .flatMap(List::stream)
        .filter(p -> services.contains(p.service()))
        .filter(this::arrived)
        .toList();
  }

  /** Whether a point has arrived: its minute ends a second after its time. */
  private boolean arrived(Point point) {
    return arrival == null
        || !point.time().plusSeconds(1).plus(arrival.apply(point)).isAfter(now.get());
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    Map<RevisionKey, List<Point>> byRevision = new HashMap<>();
    for (Point p : points(request.project(), request.services(), request.start(), request.end())) {
      byRevision
          .computeIfAbsent(
              new RevisionKey(p.region(), p.service(), p.revision()), k -> new ArrayList<>())
          .add(p);
    }
    Map<RevisionKey, RevisionMetrics> result = new HashMap<>();
    byRevision.forEach((key, list) -> result.put(key, aggregate(list, request.kinds())));
    return result;
  }

  static RevisionMetrics aggregate(List<Point> list, java.util.Set<MetricKind> kinds) {
    RequestCounts requests = RequestCounts.NONE;
    long[] latency = new long[LATENCY_BOUNDS.length + 1];
    double billable = 0;
    long coldStarts = 0;
    double instances = 0;
    for (Point p : list) {
      requests = requests.plus(p.requests());
      for (int i = 0; i < latency.length && i < p.latencyCounts().length; i++) {
        latency[i] += p.latencyCounts()[i];
      }
      billable += p.billableInstanceSeconds();
      coldStarts += p.coldStarts();
      instances += p.instances();
    }
    long latencyCount = java.util.Arrays.stream(latency).sum();
    return new RevisionMetrics(
        kinds.contains(MetricKind.REQUESTS) && requests.total() > 0
            ? Optional.of(requests)
            : Optional.empty(),
        kinds.contains(MetricKind.LATENCIES) && latencyCount > 0
            ? Optional.of(new LatencyDistribution(LATENCY_BOUNDS, latency))
            : Optional.empty(),
        kinds.contains(MetricKind.BILLABLE_INSTANCE_TIME)
            ? Optional.of(billable)
            : Optional.empty(),
        kinds.contains(MetricKind.STARTUPS) ? Optional.of(coldStarts) : Optional.empty(),
        kinds.contains(MetricKind.INSTANCES) && !list.isEmpty()
            ? Optional.of(instances / list.size())
            : Optional.empty());
  }

  @Override
  public void close() {}
}
