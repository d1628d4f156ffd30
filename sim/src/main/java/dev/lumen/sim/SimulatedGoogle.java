package dev.lumen.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.cli.Manifests;
import dev.lumen.cli.OperatorRun;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.CloudRunAdminServices;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.metrics.MeteredCloudRun;
import dev.lumen.metrics.MeteredMetricSource;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.quota.GoogleCallQuotas;
import dev.lumen.testkit.google.CloudRunGrpcFake;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import dev.lumen.testkit.google.MonitoringPromqlFake;
import dev.lumen.testkit.world.SimWorld;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud Run and Cloud Monitoring on loopback, backed by a simulated world that advances with a
 * clock. Lumen's real Google adapters talk to it over gRPC, exactly as to Google.
 */
public final class SimulatedGoogle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedGoogle.class);

  private final FakeCloudRun cloudRun = new FakeCloudRun();
  private final FakeMetrics metrics = new FakeMetrics();
  private final CloudRunGrpcFake cloudRunServer = new CloudRunGrpcFake(cloudRun);
  private final MonitoringGrpcFake monitoringServer = new MonitoringGrpcFake(metrics);
  private final MonitoringPromqlFake promqlServer = new MonitoringPromqlFake(metrics);
  private final SimWorld world;
  private final ScheduledExecutorService ticker;

  /**
   * @param realTick how often (real time) the world catches up with the clock
   */
  public SimulatedGoogle(Clock clock, long seed, Duration realTick) {
    this.world = new SimWorld(cloudRun, metrics, seed, clock.instant());
    // An outage in the world: the loopback Monitoring server answers UNAVAILABLE.
    world.monitoringAvailability(
        available -> {
          if (available) {
            monitoringServer.faults().recover("ListTimeSeries");
          } else {
            monitoringServer.faults().failAlways("ListTimeSeries", Status.Code.UNAVAILABLE);
          }
          promqlServer.available(available);
        });
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lumen-sim-world");
              t.setDaemon(true);
              return t;
            });
    // A failing minute (a cache that lost its Redis) is logged, not thrown: an exception would
    // cancel the schedule, and the world would stop for the rest of the run.
    ticker.scheduleAtFixedRate(
        () -> {
          try {
            world.advanceTo(clock.instant());
          } catch (RuntimeException e) {
            LOG.warn("The simulated world could not advance: {}", e.toString());
          }
        },
        0,
        realTick.toMillis(),
        TimeUnit.MILLISECONDS);
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

  /** Cloud Monitoring's Prometheus-compatible query API, where PromQL objectives are read. */
  public MonitoringPromqlFake promqlServer() {
    return promqlServer;
  }

  /** Lumen's real Cloud Run adapter pointed at the loopback server. */
  public CloudRunServices cloudRunClient(Duration deadline) {
    return new CloudRunAdminServices(
        GoogleClientConfig.loopback(cloudRunServer.endpoint()).withDeadline(deadline));
  }

  /** Lumen's real Cloud Monitoring adapter pointed at the loopback server. */
  public CloudMonitoringMetricSource monitoringClient(Duration deadline) {
    return new CloudMonitoringMetricSource(
        GoogleClientConfig.loopback(monitoringServer.endpoint())
            .withDeadline(deadline)
            .withHttpEndpoint(promqlServer.endpoint()));
  }

  /**
   * What an operator in the simulation talks to: fresh real Google clients for the loopback
   * servers, with their calls counted, and real Redis clients; there is no Prometheus. The operator
   * closes them when it stops.
   *
   * @param wrapCloudRun lets a test put itself between the operator and Cloud Run
   */
  public Backends backends(
      MeterRegistry registry, Duration deadline, UnaryOperator<CloudRunServices> wrapCloudRun) {
    return backends(registry, deadline, wrapCloudRun, GoogleCallQuotas.unlimited(deadline));
  }

  /**
   * @param quotas the calls the operator may make per project and minute
   */
  public Backends backends(
      MeterRegistry registry,
      Duration deadline,
      UnaryOperator<CloudRunServices> wrapCloudRun,
      GoogleCallQuotas quotas) {
    return OperatorRun.withResourceEndpoints(
        wrapCloudRun.apply(
            quotas.cloudRun(new MeteredCloudRun(cloudRunClient(deadline), registry), registry)),
        quotas.monitoring(
            new MeteredMetricSource(
                monitoringClient(deadline), registry, "monitoring.googleapis.com"),
            registry),
        deadline,
        2,
        registry);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    cloudRunServer.close();
    monitoringServer.close();
    promqlServer.close();
  }

  /**
   * The simulated Cloud Run gets a service, with one revision that has served for a day, for each
   * service the manifests name, so that the applied resources have something to observe.
   */
  public void addServicesNamedIn(List<Path> paths) throws IOException {
    Instant yesterday = Instant.now().minus(Duration.ofDays(1));
    for (Path file : Manifests.expand(paths)) {
      for (var document : Manifests.read(file)) {
        JsonNode ref =
            document.readable()
                ? document.content().path("spec").path("service").path("cloudRun")
                : null;
        if (ref != null && ref.hasNonNull("name")) {
          var service =
              new CloudRunServiceReference(
                  ref.path("project").asText(),
                  ref.path("region").asText(),
                  ref.path("name").asText());
          if (!world().hasService(service)) {
            world().addService(service, service.name() + "-00001", 600, yesterday);
          }
        }
      }
    }
  }
}
