package dev.lumen.cli;

import dev.lumen.bulkhead.Bulkheads;
import dev.lumen.cache.RedisCacheStore;
import dev.lumen.engine.Durations;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.metrics.MeteredCloudRun;
import dev.lumen.metrics.MeteredMetricSource;
import dev.lumen.metrics.ProcessMetrics;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricWriter;
import dev.lumen.ports.MonitoringObjectStore;
import dev.lumen.prometheus.PrometheusMetricSource;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorHttpServer;
import dev.lumen.tenancy.PerIdentity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator until interrupted or for {@code --duration}: the one start-up sequence of
 * {@code run} and of the local tool's commands, which differ only in what they connect to.
 */
public final class OperatorRun {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRun.class);

  /** The Kubernetes API server and the Google services a run talks to. */
  public record Connections(
      KubernetesClient client,
      CloudRunServices cloudRun,
      MetricSource monitoring,
      Optional<MonitoringObjectStore> monitoringObjects,
      Optional<MetricWriter> figureWriter) {
    public Connections(
        KubernetesClient client, CloudRunServices cloudRun, MetricSource monitoring) {
      this(client, cloudRun, monitoring, Optional.empty(), Optional.empty());
    }
  }

  /** Opens the connections; whatever it opens and adds to {@code opened} is closed at the end. */
  @FunctionalInterface
  public interface Connector {
    Connections open(List<AutoCloseable> opened) throws Exception;
  }

  private OperatorRun() {}

  public static int run(
      OperatorOptions options, Clock clock, Pacing pacing, Connector connector, PrintWriter out)
      throws Exception {
    options.logFormat.install();
    var registry = new LumenPrometheusRegistry();
    ProcessMetrics.bindTo(registry);
    var opened = new ArrayList<AutoCloseable>();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "lumen-shutdown"));
    try {
      Connections connections = connector.open(opened);
      var operator =
          LumenOperator.start(
              connections.client(),
              options.settings(pacing),
              clock,
              registry,
              backends(options, connections, registry));
      opened.add(operator);
      var http = OperatorHttpServer.start(options.port, operator::isReady, registry);
      opened.add(http);
      LOG.info("Serving /healthz, /readyz and /metrics on port {}", http.port());
      if (!options.apply().isEmpty()) {
        List<HasMetadata> applied =
            new ResourceApplier(connections.client(), "default").apply(options.apply());
        new ReadinessReport(connections.client(), out)
            .awaitAndPrint(applied, Duration.ofSeconds(30));
      }
      if (options.duration != null) {
        stop.await(Durations.parse(options.duration).toMillis(), TimeUnit.MILLISECONDS);
      } else {
        out.println("Lumen is running; press Ctrl-C to stop.");
        out.flush();
        stop.await();
      }
      return 0;
    } finally {
      // Last opened, first closed: the operator before the clients it uses.
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
    }
  }

  /**
   * The Google clients, with their calls counted and limited, and clients for what resources name.
   */
  private static Backends backends(
      OperatorOptions options, Connections connections, MeterRegistry registry) {
    var quotas = options.quotas();
    var backends =
        withResourceEndpoints(
            quotas.cloudRun(new MeteredCloudRun(connections.cloudRun(), registry), registry),
            quotas.monitoring(
                new MeteredMetricSource(
                    connections.monitoring(), registry, "monitoring.googleapis.com"),
                registry),
            options.googleDeadline(),
            4,
            registry);
    if (connections.monitoringObjects().isPresent()) {
      backends = backends.withMonitoringObjects(connections.monitoringObjects().get());
    }
    if (connections.figureWriter().isPresent()) {
      backends = backends.withFigureWriter(connections.figureWriter().get());
    }
    return backends;
  }

  /**
   * Backends of the given Google clients, and clients for the endpoints resources name (Redis,
   * Prometheus), each endpoint behind its own bulkhead so a slow one holds few reconcile threads.
   *
   * @param deadline of every call to those endpoints
   * @param redisConnections the connection pool of each Redis
   */
  public static Backends withResourceEndpoints(
      CloudRunServices cloudRun,
      MetricSource monitoring,
      Duration deadline,
      int redisConnections,
      MeterRegistry registry) {
    // Bulkheads count real time: they are about threads held, whatever clock the loop reads.
    var bulkheads = new Bulkheads(deadline, Clock.systemUTC());
    return new Backends(
            cloudRun,
            monitoring,
            url -> bulkheads.cache(url, new RedisCacheStore(url, deadline, redisConnections)),
            endpoint ->
                bulkheads.metrics(
                    endpoint.url(),
                    new MeteredMetricSource(
                        new PrometheusMetricSource(endpoint, deadline), registry, "prometheus")))
        .withPerCaller(PerIdentity.cloudRun(cloudRun), PerIdentity.monitoring(monitoring));
  }
}
