package dev.lumen.gcp;

import com.google.api.Distribution;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.monitoring.v3.MetricServiceSettings;
import com.google.monitoring.v3.Aggregation;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Cloud Run metrics from Cloud Monitoring's ListTimeSeries with server-side aggregation: for each
 * metric kind one query per project covers every listed service ({@code one_of}), aligned to one
 * point over the whole window (ALIGN_DELTA) and summed per service and revision (REDUCE_SUM).
 * Latency distributions keep their buckets, so percentiles are computed from them, never averaged.
 */
public final class CloudMonitoringMetricSource
    implements MetricSource, dev.lumen.ports.MetricWriter {
  static final String RESOURCE_FILTER = "resource.type = \"cloud_run_revision\"";
  static final Duration MIN_ALIGNMENT = Duration.ofMinutes(1);

  private final MetricServiceClient client;
  private final GoogleClientConfig config;
  private final GoogleIdentities identities;

  /** Every call as the client's own identity. */
  public CloudMonitoringMetricSource(GoogleClientConfig config) {
    this(config, GoogleIdentities.none());
  }

  /**
   * @param identities whom a call acts as, when the resource it is made for is bound to a tenant's
   *     Google service account
   */
  public CloudMonitoringMetricSource(GoogleClientConfig config, GoogleIdentities identities) {
    this.config = config;
    this.identities = identities;
    try {
      var settings = MetricServiceSettings.newBuilder();
      config.connect(settings, MetricServiceSettings.defaultGrpcTransportProviderBuilder());
      settings.applyToAllUnaryMethods(config::applyTo);
      this.client = MetricServiceClient.create(settings.build());
    } catch (IOException e) {
      throw PortException.permanentFailure(
          "cannot create the Monitoring client: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    if (request.services().isEmpty()) {
      return Map.of();
    }
    Map<RevisionKey, Builder> revisions = new HashMap<>();
    for (MetricKind kind : request.kinds()) {
      for (TimeSeries series : query(request, kind)) {
        var key =
            new RevisionKey(
                series.getResource().getLabelsOrDefault("location", ""),
                series.getResource().getLabelsOrDefault("service_name", ""),
                series.getResource().getLabelsOrDefault("revision_name", ""));
        revisions.computeIfAbsent(key, k -> new Builder()).add(kind, series);
      }
    }
    Map<RevisionKey, RevisionMetrics> result = new HashMap<>();
    revisions.forEach((key, builder) -> result.put(key, builder.build(request.kinds())));
    return result;
  }

  /**
   * One query per kind aligned to one point a minute: each series brings every minute of the window
   * at once, paged by the client.
   */
  @Override
  public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
      MetricRequest request) {
    if (request.services().isEmpty()) {
      return Map.of();
    }
    Map<RevisionKey, Map<Instant, Builder>> revisions = new HashMap<>();
    for (MetricKind kind : request.kinds()) {
      for (TimeSeries series : query(request, kind, MIN_ALIGNMENT_PROTO)) {
        var key =
            new RevisionKey(
                series.getResource().getLabelsOrDefault("location", ""),
                series.getResource().getLabelsOrDefault("service_name", ""),
                series.getResource().getLabelsOrDefault("revision_name", ""));
        for (var point : series.getPointsList()) {
          Instant minute = ProtoTime.instant(point.getInterval().getEndTime()).minusSeconds(60);
          revisions
              .computeIfAbsent(key, k -> new HashMap<>())
              .computeIfAbsent(minute, m -> new Builder())
              .add(kind, series.toBuilder().clearPoints().addPoints(point).build());
        }
      }
    }
    Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> result = new HashMap<>();
    revisions.forEach(
        (key, byMinute) -> {
          var minutes = new java.util.TreeMap<Instant, RevisionMetrics>();
          byMinute.forEach(
              (minute, builder) -> minutes.put(minute, builder.build(request.kinds())));
          result.put(key, minutes);
        });
    return result;
  }

  private static final com.google.protobuf.Duration MIN_ALIGNMENT_PROTO =
      com.google.protobuf.Duration.newBuilder().setSeconds(MIN_ALIGNMENT.toSeconds()).build();

  private Iterable<TimeSeries> query(MetricRequest request, MetricKind kind) {
    return query(request, kind, alignment(request.start(), request.end()));
  }

  private Iterable<TimeSeries> query(
      MetricRequest request, MetricKind kind, com.google.protobuf.Duration alignmentPeriod) {
    var aggregation =
        Aggregation.newBuilder()
            .setAlignmentPeriod(alignmentPeriod)
            .setPerSeriesAligner(
                kind == MetricKind.INSTANCES
                    ? Aggregation.Aligner.ALIGN_MEAN
                    : Aggregation.Aligner.ALIGN_DELTA)
            .setCrossSeriesReducer(Aggregation.Reducer.REDUCE_SUM)
            .addGroupByFields("resource.labels.location")
            .addGroupByFields("resource.labels.service_name")
            .addGroupByFields("resource.labels.revision_name");
    if (kind == MetricKind.REQUESTS) {
      aggregation.addGroupByFields("metric.labels.response_code_class");
    }
    var listRequest =
        ListTimeSeriesRequest.newBuilder()
            .setName("projects/" + request.project())
            .setFilter(filter(metricType(kind), request.services()))
            .setInterval(interval(request.start(), request.end()))
            .setAggregation(aggregation)
            .setView(ListTimeSeriesRequest.TimeSeriesView.FULL)
            .build();
    try {
      return list(listRequest);
    } catch (RuntimeException e) {
      throw GrpcErrors.translate(
          "list " + metricType(kind) + " in project " + request.project(), e);
    }
  }

  private Iterable<TimeSeries> list(ListTimeSeriesRequest request) {
    return client
        .listTimeSeriesPagedCallable()
        .call(request, config.callContext(identities))
        .iterateAll();
  }

  /** A gauge aligned by ALIGN_MEAN arrives as a double; a raw INT64 gauge as an integer. */
  static double number(com.google.monitoring.v3.TypedValue value) {
    return value.getValueCase() == com.google.monitoring.v3.TypedValue.ValueCase.INT64_VALUE
        ? value.getInt64Value()
        : value.getDoubleValue();
  }

  static final String MEMORYSTORE_HIT_RATIO = "redis.googleapis.com/stats/cache_hit_ratio";

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, java.util.Set<String> instanceIds, Instant start, Instant end) {
    if (instanceIds.isEmpty()) {
      return Map.of();
    }
    var request =
        ListTimeSeriesRequest.newBuilder()
            .setName("projects/" + project)
            .setFilter(
                "metric.type = \""
                    + MEMORYSTORE_HIT_RATIO
                    + "\" AND resource.type = \"redis_instance\" AND resource.labels.instance_id = "
                    + oneOf(instanceIds))
            .setInterval(interval(start, end))
            .setAggregation(
                Aggregation.newBuilder()
                    .setAlignmentPeriod(alignment(start, end))
                    .setPerSeriesAligner(Aggregation.Aligner.ALIGN_MEAN)
                    .setCrossSeriesReducer(Aggregation.Reducer.REDUCE_MEAN)
                    .addGroupByFields("resource.labels.instance_id"))
            .build();
    Map<String, Double> ratios = new HashMap<>();
    try {
      for (TimeSeries series : list(request)) {
        for (var point : series.getPointsList()) {
          ratios.put(
              series.getResource().getLabelsOrDefault("instance_id", ""), number(point.getValue()));
        }
      }
    } catch (RuntimeException e) {
      throw GrpcErrors.translate("list " + MEMORYSTORE_HIT_RATIO + " in project " + project, e);
    }
    return ratios;
  }

  /**
   * A custom objective's filter, aligned and reduced as it asks. Monitoring lists points newest
   * first; they are returned oldest first, each at the end of its alignment period.
   */
  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
      String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
    Aggregation.Aligner aligner;
    Aggregation.Reducer reducer;
    try {
      aligner = Aggregation.Aligner.valueOf(query.aligner());
      reducer = Aggregation.Reducer.valueOf(query.reducer());
    } catch (IllegalArgumentException e) {
      throw dev.lumen.ports.PortException.permanentFailure(
          "unknown aligner or reducer: " + query.aligner() + ", " + query.reducer(), e);
    }
    var request =
        ListTimeSeriesRequest.newBuilder()
            .setName("projects/" + project)
            .setFilter(query.filter())
            .setInterval(interval(start, end))
            .setAggregation(
                Aggregation.newBuilder()
                    .setAlignmentPeriod(
                        com.google.protobuf.Duration.newBuilder()
                            .setSeconds(Math.max(60, query.alignmentPeriod().toSeconds())))
                    .setPerSeriesAligner(aligner)
                    .setCrossSeriesReducer(reducer))
            .build();
    java.util.List<TimeSeries> series = new java.util.ArrayList<>();
    try {
      list(request).forEach(series::add);
    } catch (RuntimeException e) {
      throw GrpcErrors.translate("list a custom objective's series in project " + project, e);
    }
    if (series.size() > 1) {
      throw dev.lumen.ports.PortException.permanentFailure(
          "the filter gives "
              + series.size()
              + " series after "
              + reducer
              + "; a custom objective needs one: narrow the filter or reduce across series",
          null);
    }
    java.util.List<dev.lumen.engine.measure.Sample> samples = new java.util.ArrayList<>();
    for (TimeSeries s : series) {
      for (var point : s.getPointsList()) {
        samples.add(
            new dev.lumen.engine.measure.Sample(
                ProtoTime.instant(point.getInterval().getEndTime()), number(point.getValue())));
      }
    }
    samples.sort(java.util.Comparator.comparing(dev.lumen.engine.measure.Sample::time));
    return samples;
  }

  static String filter(String metricType, java.util.Collection<String> services) {
    return "metric.type = \""
        + metricType
        + "\" AND "
        + RESOURCE_FILTER
        + " AND resource.labels.service_name = "
        + oneOf(services);
  }

  /** A Monitoring filter's {@code one_of("a", "b")}, in a stable order. */
  static String oneOf(java.util.Collection<String> values) {
    return values.stream()
        .sorted()
        .map(v -> "\"" + v + "\"")
        .collect(Collectors.joining(", ", "one_of(", ")"));
  }

  /** One aligned point over the whole window; Monitoring aligns to at least a minute. */
  private static com.google.protobuf.Duration alignment(Instant start, Instant end) {
    Duration window = Duration.between(start, end);
    Duration alignment = window.compareTo(MIN_ALIGNMENT) < 0 ? MIN_ALIGNMENT : window;
    return com.google.protobuf.Duration.newBuilder().setSeconds(alignment.toSeconds()).build();
  }

  private static TimeInterval interval(Instant start, Instant end) {
    return TimeInterval.newBuilder()
        .setStartTime(ProtoTime.timestamp(start))
        .setEndTime(ProtoTime.timestamp(end))
        .build();
  }

  static String metricType(MetricKind kind) {
    return switch (kind) {
      case REQUESTS -> "run.googleapis.com/request_count";
      case LATENCIES -> "run.googleapis.com/request_latencies";
      case BILLABLE_INSTANCE_TIME -> "run.googleapis.com/container/billable_instance_time";
      case STARTUPS -> "run.googleapis.com/container/startup_latencies";
      case INSTANCES -> "run.googleapis.com/container/instance_count";
    };
  }

  /**
   * A Monitoring distribution as a {@link LatencyDistribution}: Monitoring puts an underflow bucket
   * first and an overflow bucket last, and may leave out trailing empty buckets.
   */
  static LatencyDistribution toLatency(Distribution distribution) {
    Distribution.BucketOptions options = distribution.getBucketOptions();
    double[] bounds;
    switch (options.getOptionsCase()) {
      case EXPLICIT_BUCKETS ->
          bounds =
              options.getExplicitBuckets().getBoundsList().stream()
                  .mapToDouble(Double::doubleValue)
                  .toArray();
      case EXPONENTIAL_BUCKETS -> {
        var e = options.getExponentialBuckets();
        bounds = new double[e.getNumFiniteBuckets() + 1];
        for (int i = 0; i < bounds.length; i++) {
          bounds[i] = e.getScale() * Math.pow(e.getGrowthFactor(), i);
        }
      }
      case LINEAR_BUCKETS -> {
        var l = options.getLinearBuckets();
        bounds = new double[l.getNumFiniteBuckets() + 1];
        for (int i = 0; i < bounds.length; i++) {
          bounds[i] = l.getOffset() + l.getWidth() * i;
        }
      }
      default -> bounds = new double[0];
    }
    long[] counts = new long[bounds.length + 1];
    List<Long> reported = distribution.getBucketCountsList();
    for (int i = 0; i < counts.length && i < reported.size(); i++) {
      counts[i] = reported.get(i);
    }
    return new LatencyDistribution(bounds, counts);
  }

  /** Folds the series of one revision into its metrics. */
  private static final class Builder {
    long total;
    long clientErrors;
    long serverErrors;
    LatencyDistribution latency;
    Double billable;
    Long coldStarts;
    Double instances;

    void add(MetricKind kind, TimeSeries series) {
      for (var point : series.getPointsList()) {
        var value = point.getValue();
        switch (kind) {
          case REQUESTS -> {
            long count = value.getInt64Value();
            total += count;
            switch (series.getMetric().getLabelsOrDefault("response_code_class", "")) {
              case "4xx" -> clientErrors += count;
              case "5xx" -> serverErrors += count;
              default -> {}
            }
          }
          case LATENCIES -> {
            LatencyDistribution d = toLatency(value.getDistributionValue());
            latency = latency == null || !latency.sameBuckets(d) ? d : latency.plus(d);
          }
          case BILLABLE_INSTANCE_TIME ->
              billable = (billable == null ? 0 : billable) + value.getDoubleValue();
          case STARTUPS ->
              coldStarts =
                  (coldStarts == null ? 0 : coldStarts) + value.getDistributionValue().getCount();
          case INSTANCES -> instances = (instances == null ? 0 : instances) + number(value);
        }
      }
    }

    RevisionMetrics build(java.util.Set<MetricKind> kinds) {
      // A revision that served nothing has no request counts or latency: no traffic is no data.
      return new RevisionMetrics(
          total > 0
              ? Optional.of(new RequestCounts(total, clientErrors, serverErrors))
              : Optional.empty(),
          Optional.ofNullable(latency).filter(d -> d.total() > 0),
          Optional.ofNullable(billable),
          kinds.contains(MetricKind.STARTUPS)
              ? Optional.of(coldStarts == null ? 0L : coldStarts)
              : Optional.empty(),
          Optional.ofNullable(instances));
    }
  }

  /** Google's host of the Monitoring API, HTTP and gRPC alike. */
  static final String MONITORING_HOST = "monitoring.googleapis.com";

  private final java.util.Map<String, dev.lumen.prometheus.PromqlClient> promql =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A PromQL objective through Cloud Monitoring's Prometheus-compatible query API, as the identity
   * the current caller acts as: the same query client as a Prometheus source's, with a Google
   * token.
   */
  @Override
  public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
      String project, String query, Instant start, Instant end, Duration step) {
    return promql
        .computeIfAbsent(
            project,
            p -> {
              java.net.URI base =
                  config
                      .httpBase(MONITORING_HOST)
                      .orElseThrow(
                          () ->
                              PortException.permanentFailure(
                                  "PromQL objectives need Cloud Monitoring's HTTP endpoint; with a"
                                      + " plaintext --monitoring-endpoint give"
                                      + " --monitoring-http-endpoint too",
                                  null));
              return dev.lumen.prometheus.PromqlClient.cloudMonitoring(
                  base, p, new GoogleAuthorization(base, identities), config.deadline());
            })
        .series(query, start, end, step);
  }

  /**
   * Lumen's figures as gauges of the {@code global} resource in {@code project}, one point per
   * series, created on first write (GAUGE, DOUBLE).
   */
  @Override
  public void write(String project, List<dev.lumen.ports.MetricWriter.Point> points) {
    var request =
        com.google.monitoring.v3.CreateTimeSeriesRequest.newBuilder()
            .setName("projects/" + project);
    for (var point : points) {
      request.addTimeSeries(
          TimeSeries.newBuilder()
              .setMetric(
                  com.google.api.Metric.newBuilder()
                      .setType(point.series().metricType())
                      .putAllLabels(point.series().labels()))
              .setResource(
                  com.google.api.MonitoredResource.newBuilder()
                      .setType("global")
                      .putLabels("project_id", project))
              .setMetricKind(com.google.api.MetricDescriptor.MetricKind.GAUGE)
              .setValueType(com.google.api.MetricDescriptor.ValueType.DOUBLE)
              .addPoints(
                  com.google.monitoring.v3.Point.newBuilder()
                      .setInterval(
                          TimeInterval.newBuilder().setEndTime(ProtoTime.timestamp(point.time())))
                      .setValue(
                          com.google.monitoring.v3.TypedValue.newBuilder()
                              .setDoubleValue(point.value()))));
    }
    try {
      client.createTimeSeriesCallable().call(request.build(), config.callContext(identities));
    } catch (RuntimeException e) {
      throw GrpcErrors.translate(
          "write " + points.size() + " series of Lumen's figures to project " + project, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
