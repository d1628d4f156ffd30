package dev.lumen.benchmarks;

import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Prints what one evaluation cycle costs in Cloud Monitoring calls when 1,000 services in 10
 * projects are watched: the real client against the loopback fake, one batched read per project.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.lumen.benchmarks.MonitoringCallsPerCycle [projects] [services per project]
 * </pre>
 */
public final class MonitoringCallsPerCycle {
  private MonitoringCallsPerCycle() {}

  public static void main(String[] args) {
    int projects = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perProject = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Instant end = Instant.parse("2026-11-22T12:00:00Z");
    Instant start = end.minus(Duration.ofMinutes(5));
    Set<MetricKind> kinds = EnumSet.allOf(MetricKind.class);

    var metrics = new FakeMetrics();
    long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
    latency[10] = 100;
    for (int p = 0; p < projects; p++) {
      for (int s = 0; s < perProject; s++) {
        for (String revision : new String[] {"-001", "-002"}) {
          metrics.record(
              new FakeMetrics.Point(
                  "project-" + p,
                  "us-central1",
                  "svc-" + s,
                  "svc-" + s + revision,
                  end.minusSeconds(60),
                  new RequestCounts(100, 1, 1),
                  latency,
                  60,
                  1,
                  2));
        }
      }
    }
    try (var google = new MonitoringGrpcFake(metrics);
        var source =
            new CloudMonitoringMetricSource(GoogleClientConfig.loopback(google.endpoint()))) {
      int revisions = 0;
      long started = System.nanoTime();
      for (int p = 0; p < projects; p++) {
        Set<String> services = new LinkedHashSet<>();
        for (int s = 0; s < perProject; s++) {
          services.add("svc-" + s);
        }
        revisions +=
            source.read(new MetricRequest("project-" + p, services, start, end, kinds)).size();
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "services=%d projects=%d metricKinds=%d revisionsRead=%d listTimeSeriesCalls=%d (goal <= %d) cycleMillis=%d%n",
          projects * perProject,
          projects,
          kinds.size(),
          revisions,
          google.faults().calls("ListTimeSeries"),
          projects * kinds.size(),
          millis);
    }
  }
}
