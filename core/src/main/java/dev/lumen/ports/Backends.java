package dev.lumen.ports;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The outside systems the reconcilers talk to: one Cloud Run and one Cloud Monitoring client for
 * every resource, and clients per address for what resources name themselves (a Redis URL from a
 * Secret, a Prometheus URL), created on first use and closed once unused for {@link #IDLE} (the
 * resource that named it was deleted or points elsewhere now).
 */
public final class Backends implements AutoCloseable {
  private final CloudRunServices cloudRun;
  private final Supplier<CloudRunServices> cloudRunNow;
  private final MetricSource monitoring;
  private final Supplier<MetricSource> monitoringNow;
  private final PerAddress<URI, CacheStore> redis;
  private final PerAddress<HttpEndpoint, MetricSource> prometheusMetrics;
  private final java.util.Optional<MonitoringObjectStore> monitoringObjects;
  private final java.util.Optional<MetricWriter> figureWriter;

  /** How long a client per address is kept without use; every resource uses its own each minute. */
  public static final Duration IDLE = Duration.ofMinutes(15);

  public Backends(
      CloudRunServices cloudRun,
      MetricSource monitoring,
      Function<URI, CacheStore> redis,
      Function<HttpEndpoint, MetricSource> prometheusMetrics) {
    this(cloudRun, monitoring, redis, prometheusMetrics, Clock.systemUTC());
  }

  /**
   * @param clock tells how long a client per address went unused
   */
  public Backends(
      CloudRunServices cloudRun,
      MetricSource monitoring,
      Function<URI, CacheStore> redis,
      Function<HttpEndpoint, MetricSource> prometheusMetrics,
      Clock clock) {
    this(
        cloudRun,
        () -> cloudRun,
        monitoring,
        () -> monitoring,
        new PerAddress<>(redis, clock),
        new PerAddress<>(prometheusMetrics, clock),
        java.util.Optional.empty(),
        java.util.Optional.empty());
  }

  private Backends(
      CloudRunServices cloudRun,
      Supplier<CloudRunServices> cloudRunNow,
      MetricSource monitoring,
      Supplier<MetricSource> monitoringNow,
      PerAddress<URI, CacheStore> redis,
      PerAddress<HttpEndpoint, MetricSource> prometheusMetrics,
      java.util.Optional<MonitoringObjectStore> monitoringObjects,
      java.util.Optional<MetricWriter> figureWriter) {
    this.cloudRun = cloudRun;
    this.cloudRunNow = cloudRunNow;
    this.monitoring = monitoring;
    this.monitoringNow = monitoringNow;
    this.redis = redis;
    this.prometheusMetrics = prometheusMetrics;
    this.monitoringObjects = monitoringObjects;
    this.figureWriter = figureWriter;
  }

  /**
   * The same backends, with {@link #cloudRun()} and {@link #monitoring()} chosen per call: the
   * operator gives each tenant's Google identity its own view of each, and reads are shared per
   * view, so a read acting for one identity never serves a resource of another.
   */
  public Backends withPerCaller(
      Supplier<CloudRunServices> cloudRunPerCaller, Supplier<MetricSource> monitoringPerCaller) {
    return new Backends(
        cloudRun,
        cloudRunPerCaller,
        monitoring,
        monitoringPerCaller,
        redis,
        prometheusMetrics,
        monitoringObjects,
        figureWriter);
  }

  /**
   * The same backends, keeping each SLOTarget's Cloud Monitoring objects through {@code store} (the
   * operator's --cloud-monitoring-objects).
   */
  public Backends withMonitoringObjects(MonitoringObjectStore store) {
    return new Backends(
        cloudRun,
        cloudRunNow,
        monitoring,
        monitoringNow,
        redis,
        prometheusMetrics,
        java.util.Optional.of(store),
        figureWriter);
  }

  /**
   * The same backends, writing Lumen's figures as Cloud Monitoring custom metrics through {@code
   * writer} (the operator's --cloud-monitoring-figures).
   */
  public Backends withFigureWriter(MetricWriter writer) {
    return new Backends(
        cloudRun,
        cloudRunNow,
        monitoring,
        monitoringNow,
        redis,
        prometheusMetrics,
        monitoringObjects,
        java.util.Optional.of(writer));
  }

  /** Where Lumen's figures are written; empty when the operator writes none. */
  public java.util.Optional<MetricWriter> figureWriter() {
    return figureWriter;
  }

  /** Where SLOTargets' Cloud Monitoring objects are kept; empty when the operator keeps none. */
  public java.util.Optional<MonitoringObjectStore> monitoringObjects() {
    return monitoringObjects;
  }

  /** For where resources cannot name a Prometheus: the simulator serves Cloud Monitoring only. */
  public static <T> Function<HttpEndpoint, T> noPrometheus() {
    return url -> {
      throw new IllegalStateException("the simulator serves Cloud Monitoring only");
    };
  }

  /** Cloud Run as the resource being reconciled on this thread may read and change it. */
  public CloudRunServices cloudRun() {
    return cloudRunNow.get();
  }

  /** Cloud Monitoring as the resource being reconciled on this thread may read it. */
  public MetricSource monitoring() {
    return monitoringNow.get();
  }

  public CacheStore redis(URI url) {
    return redis.get(url);
  }

  public MetricSource prometheusMetrics(HttpEndpoint endpoint) {
    return prometheusMetrics.get(endpoint);
  }

  @Override
  public void close() {
    redis.close();
    prometheusMetrics.close();
    monitoringObjects.ifPresent(MonitoringObjectStore::close);
    monitoring.close();
    cloudRun.close();
  }

  /** Clients per address kept now, of every kind; for tests and metrics. */
  public int clientsPerAddress() {
    return redis.size() + prometheusMetrics.size();
  }

  /** One client per address, made on first use, closed after {@link #IDLE} without use. */
  private static final class PerAddress<K, T extends AutoCloseable> implements AutoCloseable {
    private final Function<K, T> factory;
    private final Clock clock;
    private final Map<K, Used<T>> clients = new ConcurrentHashMap<>();
    private volatile Instant swept = Instant.MIN;

    private record Used<T>(T client, Instant at) {}

    PerAddress(Function<K, T> factory, Clock clock) {
      this.factory = factory;
      this.clock = clock;
    }

    T get(K address) {
      Instant now = clock.instant();
      // Every call of every resource gets here; looking for idle clients once a minute is enough.
      if (swept.plus(Duration.ofMinutes(1)).isBefore(now)) {
        swept = now;
        closeIdle(address, now);
      }
      return clients
          .compute(
              address,
              (url, used) -> new Used<>(used == null ? factory.apply(url) : used.client(), now))
          .client();
    }

    private void closeIdle(K inUse, Instant now) {
      clients.forEach(
          (url, used) -> {
            if (!url.equals(inUse)
                && used.at().plus(IDLE).isBefore(now)
                && clients.remove(url, used)) {
              closeQuietly(used.client());
            }
          });
    }

    int size() {
      return clients.size();
    }

    @Override
    public void close() {
      clients.values().forEach(used -> closeQuietly(used.client()));
      clients.clear();
    }

    private static void closeQuietly(AutoCloseable client) {
      try {
        client.close();
      } catch (Exception e) {
        // Nothing to recover, and the other clients must still close.
      }
    }
  }
}
