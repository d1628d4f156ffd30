package dev.lumen.sim;

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
import com.google.protobuf.Timestamp;
import dev.lumen.ports.FakeMetrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private final FakeMetrics metrics;
  private final GrpcFaults faults = new GrpcFaults();
  private final LoopbackGrpcServer server;
  private volatile int maxPageSize = 1000;

  public MonitoringGrpcFake(FakeMetrics metrics) {
    this.metrics = metrics;
    this.server = new LoopbackGrpcServer(new MetricService());
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
  }

  private ListTimeSeriesResponse list(ListTimeSeriesRequest request) {
    Matcher type = METRIC_TYPE.matcher(request.getFilter());
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
    String project = request.getName().replaceFirst("^projects/", "");
    Instant start = instant(request.getInterval().getStartTime());
    Instant end = instant(request.getInterval().getEndTime());
    List<TimeSeries> all =
        MEMORYSTORE_HIT_RATIO.equals(type.group(1))
            ? redisSeries(metrics.redisPoints(project, names, start, end), request)
            : series(type.group(1), metrics.points(project, names, start, end), request);
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

  private static List<TimeSeries> series(
      String metricType, List<FakeMetrics.Point> points, ListTimeSeriesRequest request) {
    Map<List<String>, List<FakeMetrics.Point>> groups = new LinkedHashMap<>();
    for (FakeMetrics.Point p : points) {
      groups
          .computeIfAbsent(List.of(p.region(), p.service(), p.revision()), k -> new ArrayList<>())
          .add(p);
    }
    TimeInterval interval = request.getInterval();
    List<TimeSeries> result = new ArrayList<>();
    groups.forEach(
        (key, list) -> {
          var resource =
              MonitoredResource.newBuilder()
                  .setType("cloud_run_revision")
                  .putLabels("location", key.get(0))
                  .putLabels("service_name", key.get(1))
                  .putLabels("revision_name", key.get(2));
          switch (metricType) {
            case REQUEST_COUNT -> {
              long total = 0;
              long client = 0;
              long server = 0;
              for (FakeMetrics.Point p : list) {
                total += p.requests().total();
                client += p.requests().clientErrors();
                server += p.requests().serverErrors();
              }
              long[] byClass = {total - client - server, client, server};
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
                              point(interval, TypedValue.newBuilder().setInt64Value(byClass[i])))
                          .build());
                }
              }
            }
            case REQUEST_LATENCIES -> {
              long[] counts = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
              for (FakeMetrics.Point p : list) {
                for (int i = 0; i < counts.length && i < p.latencyCounts().length; i++) {
                  counts[i] += p.latencyCounts()[i];
                }
              }
              if (Arrays.stream(counts).sum() == 0) {
                return;
              }
              var distribution = Distribution.newBuilder().setCount(Arrays.stream(counts).sum());
              var explicit = Distribution.BucketOptions.Explicit.newBuilder();
              Arrays.stream(FakeMetrics.LATENCY_BOUNDS).forEach(explicit::addBounds);
              distribution.setBucketOptions(
                  Distribution.BucketOptions.newBuilder().setExplicitBuckets(explicit));
              Arrays.stream(counts).forEach(distribution::addBucketCounts);
              result.add(
                  seriesOf(
                      metricType,
                      resource,
                      point(interval, TypedValue.newBuilder().setDistributionValue(distribution))));
            }
            case BILLABLE_INSTANCE_TIME -> {
              double seconds =
                  list.stream().mapToDouble(FakeMetrics.Point::billableInstanceSeconds).sum();
              result.add(
                  seriesOf(
                      metricType,
                      resource,
                      point(interval, TypedValue.newBuilder().setDoubleValue(seconds))));
            }
            case STARTUP_LATENCIES -> {
              long starts = list.stream().mapToLong(FakeMetrics.Point::coldStarts).sum();
              var distribution =
                  Distribution.newBuilder()
                      .setCount(starts)
                      .setBucketOptions(
                          Distribution.BucketOptions.newBuilder()
                              .setExplicitBuckets(
                                  Distribution.BucketOptions.Explicit.newBuilder().addBounds(1000)))
                      .addBucketCounts(0)
                      .addBucketCounts(starts)
                      .addBucketCounts(0);
              result.add(
                  seriesOf(
                      metricType,
                      resource,
                      point(interval, TypedValue.newBuilder().setDistributionValue(distribution))));
            }
            case INSTANCE_COUNT -> {
              double mean =
                  list.stream().mapToDouble(FakeMetrics.Point::instances).average().orElse(0);
              result.add(
                  seriesOf(
                      metricType,
                      resource,
                      point(interval, TypedValue.newBuilder().setDoubleValue(mean))));
            }
            default ->
                throw Status.INVALID_ARGUMENT
                    .withDescription("unknown metric " + metricType)
                    .asRuntimeException();
          }
        });
    return result;
  }

  /** Memorystore hit ratios, averaged per instance over the window (ALIGN_MEAN, REDUCE_MEAN). */
  private static List<TimeSeries> redisSeries(
      List<FakeMetrics.RedisPoint> points, ListTimeSeriesRequest request) {
    Map<String, List<Double>> byInstance = new LinkedHashMap<>();
    for (FakeMetrics.RedisPoint p : points) {
      byInstance.computeIfAbsent(p.instanceId(), k -> new ArrayList<>()).add(p.hitRatio());
    }
    List<TimeSeries> result = new ArrayList<>();
    byInstance.forEach(
        (id, values) ->
            result.add(
                TimeSeries.newBuilder()
                    .setMetric(Metric.newBuilder().setType(MEMORYSTORE_HIT_RATIO))
                    .setResource(
                        MonitoredResource.newBuilder()
                            .setType("redis_instance")
                            .putLabels("instance_id", id))
                    .addPoints(
                        point(
                            request.getInterval(),
                            TypedValue.newBuilder()
                                .setDoubleValue(
                                    values.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .average()
                                        .orElseThrow())))
                    .build()));
    return result;
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

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  @Override
  public void close() {
    server.close();
  }
}
