package dev.lumen.sim;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.engine.observe.RequestCounts;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated Cloud Run traffic: every whole minute each revision that receives traffic serves its
 * share of the service's requests with its own error rate, latency and cold starts, and the minute
 * is written to the metrics the Monitoring fake serves. The numbers of a minute depend only on the
 * seed, the revision, the minute and the split at that time, so a run is repeatable.
 */
public final class SimWorld {
  /**
   * How one revision behaves.
   *
   * @param errorRate share of requests failing with a 5xx, 0 to 1
   * @param medianLatencyMillis median latency; the spread is log-normal
   * @param coldStartRate share of requests that meet a cold start with min-instances 0; each extra
   *     min-instance divides it
   */
  public record Behaviour(double errorRate, double medianLatencyMillis, double coldStartRate) {
    public static final Behaviour HEALTHY = new Behaviour(0.001, 80, 0.02);
  }

  private record ServiceLoad(CloudRunServiceReference ref, double requestsPerMinute) {}

  private final FakeCloudRun cloudRun;
  private final FakeMetrics metrics;
  private final long seed;
  private final Map<String, ServiceLoad> services = new ConcurrentHashMap<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, SimCache> caches = new ConcurrentHashMap<>();
  private Instant simulatedUntil;

  public SimWorld(FakeCloudRun cloudRun, FakeMetrics metrics, long seed, Instant start) {
    this.cloudRun = cloudRun;
    this.metrics = metrics;
    this.seed = seed;
    this.simulatedUntil = start.truncatedTo(ChronoUnit.MINUTES);
  }

  /** A service with one healthy revision serving all traffic. */
  public synchronized void addService(
      CloudRunServiceReference ref, String revision, double requestsPerMinute, Instant created) {
    if (cloudRun.find(ref.resourceName()).isEmpty()) {
      cloudRun.create(ref, revision, created);
    }
    services.put(ref.resourceName(), new ServiceLoad(ref, requestsPerMinute));
  }

  public boolean hasService(CloudRunServiceReference ref) {
    return services.containsKey(ref.resourceName());
  }

  /** A new revision with {@code behaviour}, deployed without traffic. */
  public synchronized void deploy(
      CloudRunServiceReference ref, String revision, Behaviour behaviour, Instant created) {
    behave(ref, revision, behaviour);
    cloudRun.deploy(ref, revision, created);
  }

  /** From now on {@code revision} behaves as {@code behaviour} (a regression, a fix). */
  public void behave(CloudRunServiceReference ref, String revision, Behaviour behaviour) {
    behaviours.put(ref.resourceName() + "/" + revision, behaviour);
  }

  /** From now on the service's application uses {@code cache} every minute. */
  public void attachCache(CloudRunServiceReference ref, SimCache cache) {
    caches.put(ref.resourceName(), cache);
  }

  /** Writes every whole minute up to {@code now}. */
  public synchronized void advanceTo(Instant now) {
    Instant next = simulatedUntil.plus(Duration.ofMinutes(1));
    while (!next.isAfter(now)) {
      for (ServiceLoad load : services.values()) {
        serve(load, next);
        SimCache cache = caches.get(load.ref().resourceName());
        if (cache != null) {
          cache.serveMinute(
              new Random(seed * 13 + load.ref().resourceName().hashCode() + next.getEpochSecond()));
        }
      }
      simulatedUntil = next;
      next = next.plus(Duration.ofMinutes(1));
    }
  }

  private void serve(ServiceLoad load, Instant minuteEnd) {
    var service = cloudRun.find(load.ref().resourceName()).orElseThrow();
    service
        .traffic()
        .forEach(
            (revision, percent) -> {
              if (percent > 0) {
                metrics.record(point(load, revision, percent, service.minInstances(), minuteEnd));
              }
            });
  }

  private FakeMetrics.Point point(
      ServiceLoad load, String revision, int percent, int minInstances, Instant minuteEnd) {
    CloudRunServiceReference ref = load.ref();
    Behaviour b = behaviours.getOrDefault(ref.resourceName() + "/" + revision, Behaviour.HEALTHY);
    Random random =
        new Random(
            seed * 31
                + (ref.resourceName() + revision).hashCode() * 17L
                + minuteEnd.getEpochSecond());
    double expected = load.requestsPerMinute() * percent / 100.0;
    long requests = Math.max(0, Math.round(expected + random.nextGaussian() * Math.sqrt(expected)));
    long errors = binomial(random, requests, b.errorRate());
    long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
    for (long i = 0; i < requests; i++) {
      double millis = b.medianLatencyMillis() * Math.exp(0.4 * random.nextGaussian());
      latency[bucket(millis)]++;
    }
    long coldStarts = binomial(random, requests, b.coldStartRate() / (1 + 4.0 * minInstances));
    double instances = Math.max(minInstances, requests > 0 ? 1 : 0);
    return new FakeMetrics.Point(
        ref.project(),
        ref.region(),
        ref.name(),
        revision,
        minuteEnd.minusSeconds(1),
        new RequestCounts(requests, 0, errors),
        latency,
        instances * 60,
        coldStarts,
        instances);
  }

  private static long binomial(Random random, long n, double p) {
    if (n == 0 || p <= 0) {
      return 0;
    }
    if (n < 200) {
      long k = 0;
      for (long i = 0; i < n; i++) {
        k += random.nextDouble() < p ? 1 : 0;
      }
      return k;
    }
    double mean = n * p;
    return Math.max(
        0, Math.min(n, Math.round(mean + random.nextGaussian() * Math.sqrt(mean * (1 - p)))));
  }

  private static int bucket(double millis) {
    double[] bounds = FakeMetrics.LATENCY_BOUNDS;
    for (int i = 0; i < bounds.length; i++) {
      if (millis <= bounds[i]) {
        return i;
      }
    }
    return bounds.length;
  }
}
