package dev.lumen.ports;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The outside systems the reconcilers talk to: one Cloud Run and one Cloud Monitoring client for
 * every resource, and clients per address for what resources name themselves (a Redis URL from a
 * Secret, a Prometheus URL), created on first use and kept until the operator stops.
 */
public final class Backends implements AutoCloseable {
  private final CloudRunServices cloudRun;
  private final MetricSource monitoring;
  private final PerAddress<CacheStore> redis;
  private final PerAddress<MetricSource> prometheusMetrics;
  private final PerAddress<CustomQuerySource> prometheusQueries;

  public Backends(
      CloudRunServices cloudRun,
      MetricSource monitoring,
      Function<URI, CacheStore> redis,
      Function<URI, MetricSource> prometheusMetrics,
      Function<URI, CustomQuerySource> prometheusQueries) {
    this.cloudRun = cloudRun;
    this.monitoring = monitoring;
    this.redis = new PerAddress<>(redis);
    this.prometheusMetrics = new PerAddress<>(prometheusMetrics);
    this.prometheusQueries = new PerAddress<>(prometheusQueries);
  }

  /** For where resources cannot name a Prometheus: the simulator serves Cloud Monitoring only. */
  public static <T> Function<URI, T> noPrometheus() {
    return url -> {
      throw new IllegalStateException("the simulator serves Cloud Monitoring only");
    };
  }

  public CloudRunServices cloudRun() {
    return cloudRun;
  }

  public MetricSource monitoring() {
    return monitoring;
  }

  public CacheStore redis(URI url) {
    return redis.get(url);
  }

  public MetricSource prometheusMetrics(URI url) {
    return prometheusMetrics.get(url);
  }

  public CustomQuerySource prometheusQueries(URI url) {
    return prometheusQueries.get(url);
  }

  @Override
  public void close() {
    redis.close();
    prometheusMetrics.close();
    prometheusQueries.close();
    monitoring.close();
    cloudRun.close();
  }

  /** One client per address, made on first use. */
  private static final class PerAddress<T extends AutoCloseable> implements AutoCloseable {
    private final Function<URI, T> factory;
    private final Map<URI, T> clients = new ConcurrentHashMap<>();

    PerAddress(Function<URI, T> factory) {
      this.factory = factory;
    }

    T get(URI address) {
      return clients.computeIfAbsent(address, factory);
    }

    @Override
    public void close() {
      for (T client : clients.values()) {
        try {
          client.close();
        } catch (Exception e) {
          // Closing on the way out: nothing to recover, and the other clients must still close.
        }
      }
      clients.clear();
    }
  }
}
