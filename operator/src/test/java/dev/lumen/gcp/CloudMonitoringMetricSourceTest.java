package dev.lumen.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.Distribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSourceContract;
import dev.lumen.ports.PortException;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The google-cloud-monitoring client over real gRPC against the loopback fake. */
class CloudMonitoringMetricSourceTest extends MetricSourceContract {
  final FakeMetrics state = new FakeMetrics();
  final MonitoringGrpcFake google = new MonitoringGrpcFake(state);
  final CloudMonitoringMetricSource adapter =
      new CloudMonitoringMetricSource(
          GoogleClientConfig.loopback(google.endpoint()).withDeadline(Duration.ofSeconds(5)));

  @AfterEach
  void close() {
    adapter.close();
    google.close();
  }

  @Override
  protected FakeMetrics state() {
    return state;
  }

  @Override
  protected MetricSource port() {
    return adapter;
  }

  @Test
  void oneQueryPerMetricKindCoversEveryServiceOfTheProject() {
    google.faults().resetCounts();

    adapter.read(new MetricRequest("shop", Set.of("web", "api", "cart"), START, END, ALL));

    assertThat(google.faults().calls("ListTimeSeries")).isEqualTo(ALL.size());
  }

  @Test
  void lumensFiguresAreWrittenAsCustomMetricsThatReadBackThroughAFilter() {
    var series =
        new dev.lumen.ports.MetricWriter.Series(
            "custom.googleapis.com/lumen/slo_compliance",
            java.util.Map.of("namespace", "shop", "service", "web", "name", "web"));

    adapter.write(
        "shop", java.util.List.of(new dev.lumen.ports.MetricWriter.Point(series, END, 75)));

    var read =
        adapter.customSeries(
            "shop",
            new dev.lumen.ports.CustomSeriesQuery(
                "metric.type = \"custom.googleapis.com/lumen/slo_compliance\"",
                "ALIGN_MEAN",
                "REDUCE_MEAN",
                Duration.ofMinutes(1)),
            END.minusSeconds(120),
            END);
    assertThat(read).extracting(dev.lumen.engine.measure.Sample::value).containsExactly(75.0);
  }

  @Test
  void aWriteTheApiRefusesIsAPermanentFailure() {
    var points = new java.util.ArrayList<dev.lumen.ports.MetricWriter.Point>();
    for (int i = 0; i < 201; i++) {
      points.add(
          new dev.lumen.ports.MetricWriter.Point(
              new dev.lumen.ports.MetricWriter.Series(
                  "custom.googleapis.com/lumen/objective_value",
                  java.util.Map.of("objective", "o" + i)),
              END,
              1));
    }

    assertThatThrownBy(() -> adapter.write("shop", points))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("1 to 200 series");
  }

  @Test
  void followsPages() {
    google.setMaxPageSize(1);

    var result = adapter.read(new MetricRequest("shop", Set.of("web", "api"), START, END, ALL));

    assertThat(result).hasSize(4);
    assertThat(google.faults().calls("ListTimeSeries")).isGreaterThan(ALL.size());
  }

  @Test
  void unavailableIsRetriedOnceThenBecomesATransientFailure() {
    var request =
        new MetricRequest(
            "shop", Set.of("web"), START, END, Set.of(MetricSource.MetricKind.REQUESTS));
    google.faults().failNext("ListTimeSeries", Status.Code.UNAVAILABLE, 1);
    assertThat(adapter.read(request)).isNotEmpty();

    google.faults().failNext("ListTimeSeries", Status.Code.DEADLINE_EXCEEDED, 2);
    assertThatThrownBy(() -> adapter.read(request))
        .isInstanceOf(PortException.class)
        .matches(e -> ((PortException) e).isTransient());
  }

  @Test
  void decodesExponentialBucketsWithUnderflowAndOverflow() {
    var distribution =
        Distribution.newBuilder()
            .setBucketOptions(
                Distribution.BucketOptions.newBuilder()
                    .setExponentialBuckets(
                        Distribution.BucketOptions.Exponential.newBuilder()
                            .setNumFiniteBuckets(3)
                            .setGrowthFactor(2)
                            .setScale(10)))
            .addBucketCounts(1) // below 10
            .addBucketCounts(2) // 10..20
            .addBucketCounts(3) // 20..40
            .build(); // 40..80 and the overflow left out

    var latency = CloudMonitoringMetricSource.toLatency(distribution);

    assertThat(latency.upperBoundsMillis()).containsExactly(10, 20, 40, 80);
    assertThat(latency.counts()).containsExactly(1, 2, 3, 0, 0);
  }

  /** 1,000 services in 10 projects: one cycle costs at most projects x metric kinds queries. */
  @Test
  void aThousandServicesInTenProjectsCostProjectsTimesKindsQueries() {
    for (int project = 0; project < 10; project++) {
      for (int service = 0; service < 100; service++) {
        state.record(
            point(
                "p" + project,
                "us-central1",
                "svc-" + service,
                "svc-" + service + "-001",
                END.minusSeconds(30),
                new RequestCounts(10, 0, 0),
                10));
      }
    }
    google.faults().resetCounts();

    int revisions = 0;
    for (int project = 0; project < 10; project++) {
      Set<String> services = new HashSet<>();
      for (int service = 0; service < 100; service++) {
        services.add("svc-" + service);
      }
      revisions += adapter.read(new MetricRequest("p" + project, services, START, END, ALL)).size();
    }

    assertThat(revisions).isEqualTo(1000);
    assertThat(google.faults().calls("ListTimeSeries")).isEqualTo(10 * ALL.size());
  }
}
