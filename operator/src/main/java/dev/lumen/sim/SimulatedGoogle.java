package dev.lumen.sim;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.CloudRunAdminServices;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Run and Cloud Monitoring on loopback, backed by a simulated world that advances with a
 * clock. Lumen's real Google adapters talk to it over gRPC, exactly as to Google.
 */
public final class SimulatedGoogle implements AutoCloseable {
  private final FakeCloudRun cloudRun = new FakeCloudRun();
  private final FakeMetrics metrics = new FakeMetrics();
  private final CloudRunGrpcFake cloudRunServer = new CloudRunGrpcFake(cloudRun);
  private final MonitoringGrpcFake monitoringServer = new MonitoringGrpcFake(metrics);
  private final SimWorld world;
  private final ScheduledExecutorService ticker;

  /**
   * @param realTick how often (real time) the world catches up with the clock
   */
  public SimulatedGoogle(Clock clock, long seed, Duration realTick) {
    this.world = new SimWorld(cloudRun, metrics, seed, clock.instant());
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lumen-sim-world");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(
        () -> world.advanceTo(clock.instant()), 0, realTick.toMillis(), TimeUnit.MILLISECONDS);
  }

  public SimWorld world() {
    return world;
  }

  public FakeCloudRun cloudRun() {
    return cloudRun;
  }

  public FakeMetrics metrics() {
    return metrics;
  }

  public CloudRunGrpcFake cloudRunServer() {
    return cloudRunServer;
  }

  public MonitoringGrpcFake monitoringServer() {
    return monitoringServer;
  }

  /** From {@code from} until {@code until} every Monitoring read fails with UNAVAILABLE. */
  public void monitoringOutage(Instant from, Instant until) {
    world.at(
        from,
        "Cloud Monitoring outage begins",
        () -> monitoringServer.faults().failAlways("ListTimeSeries", Status.Code.UNAVAILABLE));
    world.at(
        until,
        "Cloud Monitoring outage ends",
        () -> monitoringServer.faults().recover("ListTimeSeries"));
  }

  /** At {@code at} someone routes {@code split} by hand (the console, gcloud). */
  public void trafficEditOutsideLumen(
      CloudRunServiceReference ref, Map<String, Integer> split, Instant at) {
    world.at(
        at,
        "traffic of " + ref.name() + " set to " + split + " outside Lumen",
        () -> cloudRun.editTrafficOutsideLumen(ref, split));
  }

  /** At {@code at} {@code revision} starts behaving as {@code behaviour}. */
  public void regression(
      CloudRunServiceReference ref, String revision, SimWorld.Behaviour behaviour, Instant at) {
    world.at(at, revision + " now has " + behaviour, () -> world.behave(ref, revision, behaviour));
  }

  /**
   * From {@code from}, the median latency of {@code revision} grows linearly to {@code to} over
   * {@code over}, a step a minute.
   */
  public void latencyCreep(
      CloudRunServiceReference ref,
      String revision,
      SimWorld.Behaviour from,
      double toMedianMillis,
      Instant start,
      Duration over) {
    long minutes = Math.max(1, over.toMinutes());
    for (long m = 0; m <= minutes; m++) {
      double median =
          from.medianLatencyMillis() + (toMedianMillis - from.medianLatencyMillis()) * m / minutes;
      var step = new SimWorld.Behaviour(from.errorRate(), median, from.coldStartRate());
      world.at(
          start.plus(Duration.ofMinutes(m)),
          revision + " median latency " + Math.round(median) + " ms",
          () -> world.behave(ref, revision, step));
    }
  }

  /** Lumen's real Cloud Run adapter pointed at the loopback server. */
  public CloudRunServices cloudRunClient(Duration deadline) {
    return new CloudRunAdminServices(
        GoogleClientConfig.loopback(cloudRunServer.endpoint()).withDeadline(deadline));
  }

  /** Lumen's real Cloud Monitoring adapter pointed at the loopback server. */
  public MetricSource monitoringClient(Duration deadline) {
    return new CloudMonitoringMetricSource(
        GoogleClientConfig.loopback(monitoringServer.endpoint()).withDeadline(deadline));
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    cloudRunServer.close();
    monitoringServer.close();
  }
}
