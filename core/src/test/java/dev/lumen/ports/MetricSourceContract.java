package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every MetricSource must return; run against the fake and the real Monitoring client. */
public abstract class MetricSourceContract {
  protected static final Instant END = Instant.parse("2026-11-22T12:00:00Z");
  protected static final Instant START = END.minus(Duration.ofMinutes(10));
  protected static final Set<MetricKind> ALL = EnumSet.allOf(MetricKind.class);

  protected abstract FakeMetrics state();

  protected abstract MetricSource port();

  /** The end of the window the traffic is recorded in and read from. */
  protected Instant end() {
    return END;
  }

  protected Duration window() {
    return Duration.ofMinutes(10);
  }

  /** Whether the source evaluates Cloud Monitoring filters (custom objectives); Prometheus not. */
  protected boolean evaluatesMonitoringFilters() {
    return true;
  }

  /** How far counts may be off in percent: 0 for exact sources; Prometheus extrapolates. */
  protected double tolerancePercent() {
    return 0;
  }

  private Instant start() {
    return end().minus(window());
  }

  protected void assertCount(double actual, double expected) {
    if (tolerancePercent() == 0) {
      assertThat(actual).isEqualTo(expected);
    } else {
      assertThat(actual)
          .isCloseTo(
              expected, org.assertj.core.api.Assertions.withinPercentage(tolerancePercent()));
    }
  }

  /** A latency histogram with all requests in one bucket. */
  protected static long[] latency(long count, int bucket) {
    long[] counts = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
    counts[bucket] = count;
    return counts;
  }

  protected static FakeMetrics.Point point(
      String project,
      String region,
      String service,
      String revision,
      Instant time,
      RequestCounts requests,
      int bucket) {
    return new FakeMetrics.Point(
        project,
        region,
        service,
        revision,
        time,
        requests,
        latency(requests.total(), bucket),
        60,
        2,
        3);
  }

  /** Ten points evenly spread over the window, once per state. */
  @BeforeEach
  void recordTraffic() {
    if (!state().isEmpty()) {
      return;
    }
    for (int step = 1; step <= 10; step++) {
      // Mid-slot, so that no point sits on an edge of the window.
      Instant t = start().plus(window().multipliedBy(2L * step - 1).dividedBy(20));
      state()
          .record(
              point(
                  "shop", "us-central1", "web", "web-001", t, new RequestCounts(1000, 10, 5), 10));
      state()
          .record(
              point("shop", "us-central1", "web", "web-002", t, new RequestCounts(50, 0, 1), 14));
      state()
          .record(
              point(
                  "shop",
                  "europe-west1",
                  "web",
                  "web-eu-001",
                  t,
                  new RequestCounts(200, 0, 0),
                  10));
      state()
          .record(
              point("shop", "us-central1", "api", "api-001", t, new RequestCounts(300, 3, 0), 12));
      state()
          .record(point("other", "us-central1", "web", "web-x", t, new RequestCounts(7, 0, 0), 10));
    }
    for (int step = 1; step <= 10; step++) {
      Instant t = start().plus(window().multipliedBy(2L * step - 1).dividedBy(20));
      state().record(new FakeMetrics.RedisPoint("shop", "cache-a", t, 0.8));
      state().record(new FakeMetrics.RedisPoint("shop", "cache-b", t, 0.9));
    }
    state().record(new FakeMetrics.RedisPoint("shop", "cache-c", end().plusSeconds(3600), 0.5));
    // Outside the window, and a service that is not asked for.
    state()
        .record(
            point(
                "shop",
                "us-central1",
                "web",
                "web-001",
                start().minusSeconds(5),
                new RequestCounts(99_999, 0, 0),
                10));
    state()
        .record(
            point(
                "shop", "us-central1", "cart", "cart-001", end(), new RequestCounts(5, 0, 0), 10));
  }

  private MetricSource.RevisionMetrics read(String region, String service, String revision) {
    var result = port().read(new MetricRequest("shop", Set.of("web", "api"), start(), end(), ALL));
    return result.getOrDefault(
        new RevisionKey(region, service, revision), MetricSource.RevisionMetrics.EMPTY);
  }

  /** Whether the window holds whole minutes to read one by one (a Prometheus test's does not). */
  protected boolean readsMinutes() {
    return true;
  }

  @Test
  void historyComesMinuteByMinutePerRevision() {
    if (!readsMinutes()) {
      return;
    }
    var minutes =
        port()
            .readMinutes(new MetricRequest("shop", Set.of("web"), start(), end(), ALL))
            .get(new RevisionKey("us-central1", "web", "web-001"));

    assertThat(minutes).hasSize(10);
    assertThat(minutes.firstKey()).isEqualTo(start());
    assertThat(minutes.values())
        .allSatisfy(
            m -> {
              assertRequests(m.requests().orElseThrow(), 1000, 10, 5);
              assertThat(m.latency().orElseThrow().total()).isEqualTo(1000);
              assertThat(m.coldStarts()).contains(2L);
            });
  }

  @Test
  void countsRequestsPerRevisionWithTheirErrorClasses() {
    assertRequests(read("us-central1", "web", "web-001").requests().orElseThrow(), 10_000, 100, 50);
    assertRequests(read("us-central1", "web", "web-002").requests().orElseThrow(), 500, 0, 10);
    assertRequests(read("us-central1", "api", "api-001").requests().orElseThrow(), 3000, 30, 0);
  }

  private void assertRequests(
      RequestCounts actual, long total, long clientErrors, long serverErrors) {
    assertCount(actual.total(), total);
    assertCount(actual.clientErrors(), clientErrors);
    assertCount(actual.serverErrors(), serverErrors);
  }

  @Test
  void keepsLatencyBucketsSoPercentilesAreComputedNotAveraged() {
    LatencyDistribution d = read("us-central1", "web", "web-002").latency().orElseThrow();

    assertCount(d.total(), 500);
    assertThat(d.percentile(95))
        .isBetween(FakeMetrics.LATENCY_BOUNDS[13], FakeMetrics.LATENCY_BOUNDS[14]);
  }

  @Test
  void sumsInstanceTimeAndColdStarts() {
    var web = read("us-central1", "web", "web-001");

    assertCount(web.billableInstanceSeconds().orElseThrow(), 600);
    assertCount(web.coldStarts().orElseThrow(), 20);
  }

  @Test
  void readsOnlyTheListedServicesOfTheProjectInTheWindowPerRegion() {
    var result = port().read(new MetricRequest("shop", Set.of("web", "api"), start(), end(), ALL));

    assertThat(result.keySet())
        .containsExactlyInAnyOrder(
            new RevisionKey("us-central1", "web", "web-001"),
            new RevisionKey("us-central1", "web", "web-002"),
            new RevisionKey("europe-west1", "web", "web-eu-001"),
            new RevisionKey("us-central1", "api", "api-001"));
  }

  @Test
  void aLaggingRequestEndsTheDataDelayBeforeNow() {
    var request =
        MetricRequest.lagging(
            "shop",
            Set.of("web"),
            END,
            MetricRequest.DEFAULT_DATA_DELAY,
            Duration.ofMinutes(5),
            ALL);

    assertThat(request.end()).isEqualTo(END.minus(Duration.ofMinutes(3)));
    assertThat(request.start()).isEqualTo(END.minus(Duration.ofMinutes(8)));
  }

  @Test
  void averagesInstanceCounts() {
    assertCount(read("us-central1", "web", "web-001").meanInstances().orElseThrow(), 3);
  }

  @Test
  void averagesMemorystoreHitRatiosPerInstance() {
    var ratios =
        port()
            .memorystoreHitRatios("shop", Set.of("cache-a", "cache-b", "cache-c"), start(), end());

    assertThat(ratios.keySet()).containsExactlyInAnyOrder("cache-a", "cache-b");
    assertCount(ratios.get("cache-a"), 0.8);
    assertCount(ratios.get("cache-b"), 0.9);
  }

  @Test
  void aServiceWithoutTrafficHasNoDataRatherThanZeros() {
    var result = port().read(new MetricRequest("shop", Set.of("idle"), start(), end(), ALL));

    assertThat(result).isEmpty();
  }

  @Test
  void aCustomObjectivesFilterComesBackAsOneSeriesAlignedAndOldestFirst() {
    String type = "custom.googleapis.com/checkout/queue_depth";
    Instant start = end().minus(Duration.ofMinutes(5));
    // Two points a minute, 10 and 30 in the first minute, 20 and 40 in the second, ...
    for (int minute = 0; minute < 5; minute++) {
      state()
          .record(
              new FakeMetrics.CustomPoint(
                  "shop", type, start.plusSeconds(60L * minute + 15), 10 * (minute + 1)));
      state()
          .record(
              new FakeMetrics.CustomPoint(
                  "shop", type, start.plusSeconds(60L * minute + 45), 10 * (minute + 3)));
    }
    var query =
        new CustomSeriesQuery(
            "metric.type = \"" + type + "\"", "ALIGN_MEAN", "REDUCE_SUM", Duration.ofMinutes(1));
    if (!evaluatesMonitoringFilters()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> port().customSeries("shop", query, start, end()))
          .isInstanceOf(PortException.class)
          .hasMessageContaining("takes PromQL");
      return;
    }

    var samples = port().customSeries("shop", query, start, end());

    assertThat(samples)
        .extracting(dev.lumen.engine.measure.Sample::value)
        .containsExactly(20.0, 30.0, 40.0, 50.0, 60.0);
    assertThat(samples.get(0).time()).isEqualTo(start.plusSeconds(60));
    assertThat(port().customSeries("shop", query, start.minus(Duration.ofHours(2)), start))
        .as("no points: no data, not an error")
        .isEmpty();
  }
}
