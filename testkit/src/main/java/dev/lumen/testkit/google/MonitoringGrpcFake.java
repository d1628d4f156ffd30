package dev.lumen.testkit.google;

import com.google.api.Distribution;
import com.google.api.Metric;
import com.google.api.MonitoredResource;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.ListTimeSeriesResponse;
import com.google.monitoring.v3.MetricServiceGrpc;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.monitoring.v3.TypedValue;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionKey;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud Monitoring's ListTimeSeries on loopback (plaintext gRPC), answering from a {@link
 * FakeMetrics} for the Cloud Run metrics Lumen reads. It understands the filters and aggregation
 * Lumen sends: {@code metric.type = "..."}, {@code resource.labels.service_name = one_of(...)} or
 * {@code = "..."}, ALIGN_DELTA + REDUCE_SUM grouped by service, revision and (for request_count)
 * response class. It pages, injects faults and counts calls.
 */
public final class MonitoringGrpcFake implements AutoCloseable {
  public static final String REQUEST_COUNT = "run.googleapis.com/request_count";
  public static final String REQUEST_LATENCIES = "run.googleapis.com/request_latencies";
  public static final String BILLABLE_INSTANCE_TIME =
      "run.googleapis.com/container/billable_instance_time";
  public static final String STARTUP_LATENCIES = "run.googleapis.com/container/startup_latencies";
  public static final String INSTANCE_COUNT = "run.googleapis.com/container/instance_count";
  public static final String MEMORYSTORE_HIT_RATIO = "redis.googleapis.com/stats/cache_hit_ratio";

  private static final Pattern METRIC_TYPE = Pattern.compile("metric\\.type\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern SERVICES =
      Pattern.compile(
          "resource\\.labels\\.(?:service_name|instance_id)\\s*=\\s*(?:one_of\\(([^)]*)\\)|\"([^\"]+)\")");

  private final CallerLog callers = new CallerLog();
  private final FakeMetrics metrics;
  private final GrpcFaults faults = new GrpcFaults();
  private final LoopbackGrpcServer server;
  private volatile int maxPageSize = 1000;

  public MonitoringGrpcFake(FakeMetrics metrics) {
    this.metrics = metrics;
    this.server = new LoopbackGrpcServer(callers, new MetricService());
  }

  /**
   * Which bearer token each call carried, by every service (or Redis instance) it asked for: {@code
   * projects/P/services/S}, {@code projects/P/instances/I}.
   */
  public CallerLog callers() {
    return callers;
  }

  public String endpoint() {
    return server.endpoint();
  }

  public GrpcFaults faults() {
    return faults;
  }

  /** The most series one page holds, so that tests can make the client page. */
  public void setMaxPageSize(int size) {
    this.maxPageSize = size;
  }

  private final class MetricService extends MetricServiceGrpc.MetricServiceImplBase {
    @Override
    public void listTimeSeries(
        ListTimeSeriesRequest request, StreamObserver<ListTimeSeriesResponse> observer) {
      try {
        faults.enter("ListTimeSeries");
        observer.onNext(list(request));
        observer.onCompleted();
      } catch (StatusRuntimeException e) {
        observer.onError(e);
      }
    }

    /**
     * Custom metrics as CreateTimeSeries takes them, held to its rules by {@link
     * FakeMetrics#write}: a global resource, one DOUBLE point per series.
     */
    @Override
    public void createTimeSeries(
        com.google.monitoring.v3.CreateTimeSeriesRequest request,
        StreamObserver<com.google.protobuf.Empty> observer) {
      try {
        faults.enter("CreateTimeSeries");
        callers.record(request.getName() + "/timeSeries");
        List<dev.lumen.ports.MetricWriter.Point> points = new ArrayList<>();
        for (TimeSeries series : request.getTimeSeriesList()) {
          if (series.getPointsCount() != 1) {
            throw Status.INVALID_ARGUMENT
                .withDescription("each time series takes exactly one point")
                .asRuntimeException();
          }
          Point point = series.getPoints(0);
          points.add(
              new dev.lumen.ports.MetricWriter.Point(
                  new dev.lumen.ports.MetricWriter.Series(
                      series.getMetric().getType(), series.getMetric().getLabelsMap()),
                  Instant.ofEpochSecond(
                      point.getInterval().getEndTime().getSeconds(),
                      point.getInterval().getEndTime().getNanos()),
                  point.getValue().getDoubleValue()));
        }
        metrics.write(request.getName().substring("projects/".length()), points);
        observer.onNext(com.google.protobuf.Empty.getDefaultInstance());
        observer.onCompleted();
      } catch (StatusRuntimeException e) {
        observer.onError(e);
      } catch (dev.lumen.ports.PortException e) {
        observer.onError(
            Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      }
    }
  }

  private ListTimeSeriesResponse list(ListTimeSeriesRequest request) {
    Matcher type = METRIC_TYPE.matcher(request.getFilter());
    if (type.find()
        && !type.group(1).startsWith("run.googleapis.com/")
        && !MEMORYSTORE_HIT_RATIO.equals(type.group(1))) {
      return custom(request);
    }
    type.reset();
    Matcher services = SERVICES.matcher(request.getFilter());
    if (!type.find() || !services.find()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("filter not understood: " + request.getFilter())
          .asRuntimeException();
    }
    Set<String> names = new LinkedHashSet<>();
    if (services.group(1) != null) {
      Arrays.stream(services.group(1).split(","))
          .map(s -> s.trim().replace("\"", ""))
          .forEach(names::add);
    } else {
      names.add(services.group(2));
    }
    String kind = MEMORYSTORE_HIT_RATIO.equals(type.group(1)) ? "/instances/" : "/services/";
    names.forEach(name -> callers.record(request.getName() + kind + name));
    String project = request.getName().replaceFirst("^projects/", "");
    Instant start = instant(request.getInterval().getStartTime());
    Instant end = instant(request.getInterval().getEndTime());
    long period = request.getAggregation().getAlignmentPeriod().getSeconds();
    List<TimeSeries> all =
        MEMORYSTORE_HIT_RATIO.equals(type.group(1))
            ? hitRatios(project, names, start, end, request.getInterval())
            : period > 0 && start.plusSeconds(period).isBefore(end)
                ? perPeriod(type.group(1), project, names, start, end, period)
                : series(type.group(1), project, names, start, end, request.getInterval());
    int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    int size =
        Math.min(maxPageSize, request.getPageSize() > 0 ? request.getPageSize() : maxPageSize);
    int to = Math.min(all.size(), from + size);
    var response = ListTimeSeriesResponse.newBuilder().addAllTimeSeries(all.subList(from, to));
    if (to < all.size()) {
      response.setNextPageToken(Integer.toString(to));
    }
    return response.build();
  }

  /**
   * A custom metric's series, aligned and reduced by {@link FakeMetrics#customSeries}, newest point
   * first as Monitoring lists them; none when the metric has no points.
   */
  private ListTimeSeriesResponse custom(ListTimeSeriesRequest request) {
    String project = request.getName().replaceFirst("^projects/", "");
    callers.record(request.getName() + "/custom");
    var aggregation = request.getAggregation();
    var query =
        new dev.lumen.ports.CustomSeriesQuery(
            request.getFilter(),
            aggregation.getPerSeriesAligner().name(),
            aggregation.getCrossSeriesReducer().name(),
            java.time.Duration.ofSeconds(aggregation.getAlignmentPeriod().getSeconds()));
    List<dev.lumen.engine.measure.Sample> samples;
    try {
      samples =
          metrics.customSeries(
              project,
              query,
              instant(request.getInterval().getStartTime()),
              instant(request.getInterval().getEndTime()));
    } catch (dev.lumen.ports.PortException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    var response = ListTimeSeriesResponse.newBuilder();
    if (samples.isEmpty()) {
      return response.build();
    }
    var series =
        TimeSeries.newBuilder()
            .setMetric(
                com.google.api.Metric.newBuilder().setType(metricTypeOf(request.getFilter())))
            .setValueType(com.google.api.MetricDescriptor.ValueType.DOUBLE);
    for (int i = samples.size() - 1; i >= 0; i--) {
      var sample = samples.get(i);
      series.addPoints(
          com.google.monitoring.v3.Point.newBuilder()
              .setInterval(
                  TimeInterval.newBuilder()
                      .setStartTime(timestamp(sample.time().minus(query.alignmentPeriod())))
                      .setEndTime(timestamp(sample.time())))
              .setValue(TypedValue.newBuilder().setDoubleValue(sample.value())));
    }
    return response.addTimeSeries(series).build();
  }

  private static String metricTypeOf(String filter) {
    Matcher m = METRIC_TYPE.matcher(filter);
    return m.find() ? m.group(1) : "";
  }

  /** The figures {@link FakeMetrics} aggregates per revision, encoded as Monitoring answers. */
  /**
   * An alignment period shorter than the interval: one point per period, newest first as Monitoring
   * lists them, each series keeping its metric and resource labels.
   */
  private List<TimeSeries> perPeriod(
      String metricType,
      String project,
      Set<String> names,
      Instant start,
      Instant end,
      long period) {
    Map<String, TimeSeries.Builder> merged = new java.util.LinkedHashMap<>();
    for (Instant from = start; from.isBefore(end); from = from.plusSeconds(period)) {
      Instant to = from.plusSeconds(period).isAfter(end) ? end : from.plusSeconds(period);
      var interval =
          TimeInterval.newBuilder().setStartTime(timestamp(from)).setEndTime(timestamp(to)).build();
      for (TimeSeries one : series(metricType, project, names, from, to, interval)) {
        String key = one.getMetric().toString() + one.getResource().toString();
        var builder = merged.computeIfAbsent(key, k -> one.toBuilder().clearPoints());
        builder.addPoints(0, one.getPoints(0));
      }
    }
    return merged.values().stream().map(TimeSeries.Builder::build).toList();
  }

  private List<TimeSeries> series(
      String metricType,
      String project,
      Set<String> services,
      Instant start,
      Instant end,
      TimeInterval interval) {
    MetricKind kind =
        switch (metricType) {
          case REQUEST_COUNT -> MetricKind.REQUESTS;
          case REQUEST_LATENCIES -> MetricKind.LATENCIES;
          case BILLABLE_INSTANCE_TIME -> MetricKind.BILLABLE_INSTANCE_TIME;
          case STARTUP_LATENCIES -> MetricKind.STARTUPS;
          case INSTANCE_COUNT -> MetricKind.INSTANCES;
          default ->
              throw Status.INVALID_ARGUMENT
                  .withDescription("unknown metric " + metricType)
                  .asRuntimeException();
        };
    Map<RevisionKey, RevisionMetrics> byRevision = new TreeMap<>(REVISION_ORDER);
    byRevision.putAll(metrics.read(new MetricRequest(project, services, start, end, Set.of(kind))));
    List<TimeSeries> result = new ArrayList<>();
    byRevision.forEach(
        (key, m) -> {
          var resource =
              MonitoredResource.newBuilder()
                  .setType("cloud_run_revision")
                  .putLabels("location", key.region())
                  .putLabels("service_name", key.service())
                  .putLabels("revision_name", key.revision());
          java.util.function.Consumer<TypedValue.Builder> emit =
              value -> result.add(seriesOf(metricType, resource, point(interval, value)));
          switch (kind) {
            case REQUESTS ->
                m.requests()
                    .ifPresent(
                        r -> {
                          long[] byClass = {
                            r.total() - r.errors(), r.clientErrors(), r.serverErrors()
                          };
                          String[] classes = {"2xx", "4xx", "5xx"};
                          for (int i = 0; i < 3; i++) {
                            if (byClass[i] > 0) {
                              result.add(
                                  TimeSeries.newBuilder()
                                      .setMetric(
                                          Metric.newBuilder()
                                              .setType(metricType)
                                              .putLabels("response_code_class", classes[i]))
                                      .setResource(resource)
                                      .addPoints(
                                          point(
                                              interval,
                                              TypedValue.newBuilder().setInt64Value(byClass[i])))
                                      .build());
                            }
                          }
                        });
            case LATENCIES ->
                m.latency()
                    .ifPresent(d -> emit.accept(distribution(d.upperBoundsMillis(), d.counts())));
            case BILLABLE_INSTANCE_TIME ->
                m.billableInstanceSeconds()
                    .ifPresent(v -> emit.accept(TypedValue.newBuilder().setDoubleValue(v)));
            // Cold starts are the count of the startup-latency distribution.
            case STARTUPS ->
                m.coldStarts()
                    .ifPresent(
                        n -> emit.accept(distribution(new double[] {1000}, new long[] {0, n, 0})));
            case INSTANCES ->
                m.meanInstances()
                    .ifPresent(v -> emit.accept(TypedValue.newBuilder().setDoubleValue(v)));
          }
        });
    return result;
  }

  private static final java.util.Comparator<RevisionKey> REVISION_ORDER =
      java.util.Comparator.comparing(RevisionKey::region)
          .thenComparing(RevisionKey::service)
          .thenComparing(RevisionKey::revision);

  /** Memorystore hit ratios as {@link FakeMetrics} averages them, one series per instance. */
  private List<TimeSeries> hitRatios(
      String project, Set<String> instances, Instant start, Instant end, TimeInterval interval) {
    List<TimeSeries> result = new ArrayList<>();
    new TreeMap<>(metrics.memorystoreHitRatios(project, instances, start, end))
        .forEach(
            (id, ratio) ->
                result.add(
                    TimeSeries.newBuilder()
                        .setMetric(Metric.newBuilder().setType(MEMORYSTORE_HIT_RATIO))
                        .setResource(
                            MonitoredResource.newBuilder()
                                .setType("redis_instance")
                                .putLabels("instance_id", id))
                        .addPoints(point(interval, TypedValue.newBuilder().setDoubleValue(ratio)))
                        .build()));
    return result;
  }

  /** A distribution with explicit buckets, underflow first and overflow last. */
  private static TypedValue.Builder distribution(double[] bounds, long[] counts) {
    var explicit = Distribution.BucketOptions.Explicit.newBuilder();
    Arrays.stream(bounds).forEach(explicit::addBounds);
    var distribution =
        Distribution.newBuilder()
            .setCount(Arrays.stream(counts).sum())
            .setBucketOptions(Distribution.BucketOptions.newBuilder().setExplicitBuckets(explicit));
    Arrays.stream(counts).forEach(distribution::addBucketCounts);
    return TypedValue.newBuilder().setDistributionValue(distribution);
  }

  private static TimeSeries seriesOf(
      String metricType, MonitoredResource.Builder resource, Point point) {
    return TimeSeries.newBuilder()
        .setMetric(Metric.newBuilder().setType(metricType))
        .setResource(resource)
        .addPoints(point)
        .build();
  }

  private static Point point(TimeInterval interval, TypedValue.Builder value) {
    return Point.newBuilder().setInterval(interval).setValue(value).build();
  }

  @Override
  public void close() {
    server.close();
  }

  private static Instant instant(com.google.protobuf.Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  private static com.google.protobuf.Timestamp timestamp(Instant instant) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
