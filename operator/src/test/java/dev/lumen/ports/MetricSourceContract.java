package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.observe.LatencyDistribution;
import dev.lumen.engine.observe.RequestCounts;
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
        2);
  }

  @BeforeEach
  void recordTraffic() {
    for (int minute = 1; minute <= 10; minute++) {
      Instant t = START.plus(Duration.ofMinutes(minute));
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
    // Outside the window, and a service that is not asked for.
    state()
        .record(
            point(
                "shop",
                "us-central1",
                "web",
                "web-001",
                START,
                new RequestCounts(99_999, 0, 0),
                10));
    state()
        .record(
            point("shop", "us-central1", "cart", "cart-001", END, new RequestCounts(5, 0, 0), 10));
  }

  private MetricSource.RevisionMetrics read(String region, String service, String revision) {
    var result = port().read(new MetricRequest("shop", Set.of("web", "api"), START, END, ALL));
    return result.getOrDefault(
        new RevisionKey(region, service, revision), MetricSource.RevisionMetrics.EMPTY);
  }

  @Test
  void countsRequestsPerRevisionWithTheirErrorClasses() {
    assertThat(read("us-central1", "web", "web-001").requests())
        .contains(new RequestCounts(10_000, 100, 50));
    assertThat(read("us-central1", "web", "web-002").requests())
        .contains(new RequestCounts(500, 0, 10));
    assertThat(read("us-central1", "api", "api-001").requests())
        .contains(new RequestCounts(3000, 30, 0));
  }

  @Test
  void keepsLatencyBucketsSoPercentilesAreComputedNotAveraged() {
    LatencyDistribution d = read("us-central1", "web", "web-002").latency().orElseThrow();

    assertThat(d.total()).isEqualTo(500);
    assertThat(d.percentile(95))
        .isBetween(FakeMetrics.LATENCY_BOUNDS[13], FakeMetrics.LATENCY_BOUNDS[14]);
  }

  @Test
  void sumsInstanceTimeAndColdStarts() {
    var web = read("us-central1", "web", "web-001");

    assertThat(web.billableInstanceSeconds()).contains(600.0);
    assertThat(web.coldStarts()).contains(20L);
  }

  @Test
  void readsOnlyTheListedServicesOfTheProjectInTheWindowPerRegion() {
    var result = port().read(new MetricRequest("shop", Set.of("web", "api"), START, END, ALL));

    assertThat(result.keySet())
        .containsExactlyInAnyOrder(
            new RevisionKey("us-central1", "web", "web-001"),
            new RevisionKey("us-central1", "web", "web-002"),
            new RevisionKey("europe-west1", "web", "web-eu-001"),
            new RevisionKey("us-central1", "api", "api-001"));
  }

  @Test
  void aServiceWithoutTrafficHasNoDataRatherThanZeros() {
    var result = port().read(new MetricRequest("shop", Set.of("idle"), START, END, ALL));

    assertThat(result).isEmpty();
  }
}
