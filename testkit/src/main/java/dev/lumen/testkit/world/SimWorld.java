package dev.lumen.testkit.world;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.commons.statistics.distribution.BinomialDistribution;

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
   * @param latencySpread sigma of the log-normal latency: ln(p95 / p50) / 1.645
   */
  public record Behaviour(
      double errorRate, double medianLatencyMillis, double coldStartRate, double latencySpread) {
    public static final double DEFAULT_SPREAD = 0.4;
    public static final Behaviour HEALTHY = new Behaviour(0.001, 80, 0.02);

    public Behaviour(double errorRate, double medianLatencyMillis, double coldStartRate) {
      this(errorRate, medianLatencyMillis, coldStartRate, DEFAULT_SPREAD);
    }

    public Behaviour withMedianLatency(double millis) {
      return new Behaviour(errorRate, millis, coldStartRate, latencySpread);
    }

    /** "8.0 % errors, median latency 80 ms, 2 % cold starts" */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%.1f %% errors, median latency %d ms, %.0f %% cold starts",
          errorRate * 100,
          Math.round(medianLatencyMillis),
          coldStartRate * 100);
    }
  }

  /**
   * @param requestsPerMinute the service's base rate, which the daily shape swings around
   * @param rateByMinuteStart the expected requests of the minute starting then: flat, daily or
   *     recorded
   */
  private record ServiceLoad(
      CloudRunServiceReference ref,
      double requestsPerMinute,
      java.util.function.ToDoubleFunction<Instant> rateByMinuteStart) {
    double at(Instant minuteEnd) {
      return rateByMinuteStart.applyAsDouble(minuteEnd.minus(Duration.ofMinutes(1)));
    }
  }

  /**
   * One minute of one service as it was served, for the simulator's record and report.
   *
   * @param traffic the split during the minute
   * @param revisions what each revision with traffic served
   * @param cacheTtl the TTL the application used, when it has a simulated cache
   */
  public record ServedMinute(
      Instant end,
      CloudRunServiceReference service,
      Map<String, Integer> traffic,
      int minInstances,
      Map<String, FakeMetrics.Point> revisions,
      Optional<Duration> cacheTtl,
      OptionalDouble cacheHitRate) {}

  /**
   * Something that happened in the world, for the record.
   *
   * @param subject the service it concerns, or "world"
   * @param kind e.g. Deploy, Fault, Recovered
   */
  public record Happened(Instant at, String subject, String kind, String what) {}

  /**
   * Something that happens in the world at a time: a regression, a fix, an outage. The action tells
   * what it did, or null for a step not worth recording (one minute of a latency creep).
   */
  private record Happening(Instant at, String subject, String kind, Supplier<String> action) {}

  private final FakeCloudRun cloudRun;
  private final FakeMetrics metrics;
  private final long seed;
  private final Map<String, ServiceLoad> services = new ConcurrentHashMap<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, java.util.NavigableMap<Instant, Behaviour>> recordedBehaviours =
      new ConcurrentHashMap<>();
  private final Map<String, java.util.NavigableMap<Instant, Double>> recordedInstances =
      new ConcurrentHashMap<>();
  private final Map<String, SimCache> caches = new ConcurrentHashMap<>();
  private final Map<CustomMetric, Double> customMetrics = new ConcurrentHashMap<>();
  private final List<Happening> timeline = new ArrayList<>();
  private final List<Happened> happened = new ArrayList<>();
  private final List<Consumer<Happened>> happeningListeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<Boolean> monitoringAvailability =
      available -> {
        throw new IllegalStateException("this world has no Cloud Monitoring to take down");
      };
  private final List<Consumer<ServedMinute>> listeners = new CopyOnWriteArrayList<>();
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
    services.put(
        ref.resourceName(), new ServiceLoad(ref, requestsPerMinute, minute -> requestsPerMinute));
  }

  public FakeCloudRun cloudRun() {
    return cloudRun;
  }

  public FakeMetrics metrics() {
    return metrics;
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

  /**
   * The service's request rate follows the day: {@code requestsPerMinute * (1 + dailySwing * cos(2
   * pi (hour - 14) / 24))}, busiest at 14:00 UTC; 0 keeps it flat.
   */
  public synchronized void shapeDaily(CloudRunServiceReference ref, double dailySwing) {
    if (dailySwing < 0 || dailySwing > 1) {
      throw new IllegalArgumentException("dailySwing must lie within 0..1: " + dailySwing);
    }
    double base = services.get(ref.resourceName()).requestsPerMinute();
    services.put(
        ref.resourceName(),
        new ServiceLoad(
            ref,
            base,
            minuteStart -> {
              double hour = (minuteStart.plusSeconds(60).getEpochSecond() % 86_400) / 3600.0;
              return base * (1 + dailySwing * Math.cos(2 * Math.PI * (hour - 14) / 24));
            }));
  }

  /**
   * Replays a recording: the service's requests each minute are {@code requestsPerMinute} of the
   * minute's start (drawn around it as any load), shared by the live split.
   */
  public synchronized void recordedLoad(
      CloudRunServiceReference ref,
      java.util.function.ToDoubleFunction<Instant> requestsPerMinute) {
    services.put(ref.resourceName(), new ServiceLoad(ref, 0, requestsPerMinute));
  }

  /**
   * Replays a recording: from each time in {@code byMinute}, {@code revision} behaves as recorded
   * then, until the next; before the first it behaves as the first.
   */
  public void recordedBehaviour(
      CloudRunServiceReference ref,
      String revision,
      java.util.NavigableMap<Instant, Behaviour> byMinute) {
    recordedBehaviours.put(ref.resourceName() + "/" + revision, new TreeMap<>(byMinute));
  }

  /**
   * Replays recorded billable instances: from each time in {@code perRequest}, {@code revision}
   * runs that many instances per request it serves, so the share Lumen gives it sets its cost.
   * Without a recording a revision runs one instance while it serves.
   */
  public void recordedInstances(
      CloudRunServiceReference ref,
      String revision,
      java.util.NavigableMap<Instant, Double> perRequest) {
    recordedInstances.put(ref.resourceName() + "/" + revision, new TreeMap<>(perRequest));
  }

  /**
   * Runs {@code action} once the world reaches {@code at}: before the minute that starts at or
   * after it is served, so a fault at 10:05 shapes the minute 10:05-10:06.
   */
  public void at(Instant at, String what, Runnable action) {
    at(
        at,
        "world",
        "Happening",
        () -> {
          action.run();
          return what;
        });
  }

  private synchronized void at(Instant at, String subject, String kind, Supplier<String> action) {
    timeline.add(new Happening(at, subject, kind, action));
    timeline.sort(java.util.Comparator.comparing(Happening::at));
  }

  /** At {@code at}, {@code revision} is deployed without traffic, behaving as {@code behaviour}. */
  public void deployAt(
      CloudRunServiceReference ref, String revision, Behaviour behaviour, Instant at) {
    at(
        at,
        ref.name(),
        "Deploy",
        () -> {
          deploy(ref, revision, behaviour, at);
          return revision + " deployed: " + behaviour.describe();
        });
  }

  /** At {@code at}, {@code revision} starts behaving as {@code change} makes of what it does. */
  public void behaveAt(
      CloudRunServiceReference ref, String revision, UnaryOperator<Behaviour> change, Instant at) {
    at(
        at,
        ref.name(),
        "Fault",
        () -> {
          Behaviour now = change.apply(behaviour(ref, revision));
          behave(ref, revision, now);
          return revision + " now " + now.describe();
        });
  }

  /**
   * From {@code start}, the median latency of {@code revision} grows linearly from what it is then
   * to {@code toMedianMillis} over {@code over}, a step a minute; each step keeps what else the
   * revision does at that time.
   */
  public void latencyCreep(
      CloudRunServiceReference ref,
      String revision,
      double toMedianMillis,
      Instant start,
      Duration over) {
    long minutes = Math.max(1, over.toMinutes());
    double[] from = new double[1];
    for (long m = 0; m <= minutes; m++) {
      long step = m;
      at(
          start.plus(Duration.ofMinutes(m)),
          ref.name(),
          "Fault",
          () -> {
            Behaviour now = behaviour(ref, revision);
            if (step == 0) {
              from[0] = now.medianLatencyMillis();
            }
            double median = from[0] + (toMedianMillis - from[0]) * step / minutes;
            behave(ref, revision, now.withMedianLatency(median));
            return step == 0
                ? revision
                    + " latency creeps to a median of "
                    + Math.round(toMedianMillis)
                    + " ms over "
                    + Durations.format(over)
                : null;
          });
    }
  }

  /** At {@code at} someone routes {@code split} by hand (the console, gcloud). */
  public void trafficEditOutsideLumen(
      CloudRunServiceReference ref, Map<String, Integer> split, Instant at) {
    at(
        at,
        ref.name(),
        "Fault",
        () -> {
          cloudRun.editTrafficOutsideLumen(ref, split);
          return "traffic of " + ref.name() + " set to " + split + " outside Lumen";
        });
  }

  /** How a Monitoring outage is made: the loopback server's faults, or an in-memory switch. */
  public void monitoringAvailability(Consumer<Boolean> available) {
    this.monitoringAvailability = available;
  }

  /** From {@code from} until {@code until} every Cloud Monitoring read fails. */
  public void monitoringOutage(Instant from, Instant until) {
    at(
        from,
        "world",
        "Fault",
        () -> {
          monitoringAvailability.accept(false);
          return "Cloud Monitoring outage begins";
        });
    at(
        until,
        "world",
        "Recovered",
        () -> {
          monitoringAvailability.accept(true);
          return "Cloud Monitoring outage ends";
        });
  }

  /** What has happened so far, as "time what", in order. */
  public synchronized List<String> happened() {
    return happened.stream().map(h -> h.at() + " " + h.what()).toList();
  }

  /** Tells {@code listener} about every happening from now on, in time order. */
  public void onHappening(Consumer<Happened> listener) {
    happeningListeners.add(listener);
  }

  /** The behaviour {@code revision} has now. */
  public Behaviour behaviour(CloudRunServiceReference ref, String revision) {
    return behaviours.getOrDefault(ref.resourceName() + "/" + revision, Behaviour.HEALTHY);
  }

  private Behaviour behaviourDuring(
      CloudRunServiceReference ref, String revision, Instant minuteStart) {
    var recorded = recordedBehaviours.get(ref.resourceName() + "/" + revision);
    if (recorded == null) {
      return behaviour(ref, revision);
    }
    var entry = recorded.floorEntry(minuteStart);
    return (entry != null ? entry : recorded.firstEntry()).getValue();
  }

  /** Tells {@code listener} about every minute served from now on, in time order. */
  public void onMinute(Consumer<ServedMinute> listener) {
    listeners.add(listener);
  }

  /** From now on the service's application uses {@code cache} every minute. */
  public void attachCache(CloudRunServiceReference ref, SimCache cache) {
    caches.put(ref.resourceName(), cache);
  }

  /**
   * A metric of the application's own, written once a minute: the one series a PromQL query answers
   * (Cloud Monitoring's Prometheus API, e.g. a Managed Service for Prometheus metric), or a
   * Monitoring metric type (a custom.googleapis.com metric) — exactly one of the two.
   */
  public record CustomMetric(String project, String promql, String metricType) {
    public CustomMetric {
      if ((promql == null) == (metricType == null)) {
        throw new IllegalArgumentException("give a PromQL query or a metric type, not both");
      }
    }

    public String describe() {
      return promql != null ? promql : metricType;
    }
  }

  /** From the next minute on, {@code metric} reads {@code value}. */
  public void customMetric(CustomMetric metric, double value) {
    customMetrics.put(metric, value);
  }

  /** At {@code at}, {@code metric} starts reading {@code value}. */
  public void customMetricAt(CustomMetric metric, double value, Instant at) {
    at(
        at,
        metric.describe(),
        "Metric",
        () -> {
          customMetric(metric, value);
          return metric.describe() + " reads " + value;
        });
  }

  private void writeCustomMetrics(Instant minuteEnd) {
    customMetrics.forEach(
        (metric, value) -> {
          if (metric.promql() != null) {
            metrics.record(
                new FakeMetrics.PromqlPoint(
                    metric.project(), metric.promql(), Map.of(), minuteEnd, value));
          } else {
            metrics.record(
                new FakeMetrics.CustomPoint(
                    metric.project(), metric.metricType(), minuteEnd, value));
          }
        });
  }

  /**
   * Writes {@code length} of minutes before the world's start for {@code ref}, its revisions
   * serving as they do at the start: the history a service has when a scenario begins, for what
   * reads further back than the scenario (a rollout's look at stable's day before it).
   */
  public synchronized void serveHistory(CloudRunServiceReference ref, Duration length) {
    ServiceLoad load = services.get(ref.resourceName());
    Instant start = simulatedUntil;
    for (Instant minuteEnd = start.minus(length).plus(Duration.ofMinutes(1));
        !minuteEnd.isAfter(start);
        minuteEnd = minuteEnd.plus(Duration.ofMinutes(1))) {
      serve(load, minuteEnd);
    }
  }

  /** Writes every whole minute up to {@code now}. */
  public synchronized void advanceTo(Instant now) {
    Instant next = simulatedUntil.plus(Duration.ofMinutes(1));
    while (!next.isAfter(now)) {
      Instant minuteStart = next.minus(Duration.ofMinutes(1));
      while (!timeline.isEmpty() && !timeline.get(0).at().isAfter(minuteStart)) {
        Happening h = timeline.remove(0);
        String what = h.action().get();
        if (what != null) {
          var record = new Happened(h.at(), h.subject(), h.kind(), what);
          happened.add(record);
          happeningListeners.forEach(l -> l.accept(record));
        }
      }
      writeCustomMetrics(next);
      for (ServiceLoad load : services.values()) {
        Map<String, FakeMetrics.Point> served = serve(load, next);
        SimCache cache = caches.get(load.ref().resourceName());
        Optional<Duration> ttl = Optional.empty();
        OptionalDouble hitRate = OptionalDouble.empty();
        if (cache != null) {
          SimCache.Served minute =
              cache.serveMinute(
                  random(seed, load.ref().resourceName().hashCode() * 13L, next.getEpochSecond()),
                  minuteStart);
          ttl = Optional.of(minute.ttl());
          hitRate = OptionalDouble.of(minute.hitRate());
        }
        if (!listeners.isEmpty()) {
          var service = cloudRun.find(load.ref().resourceName()).orElseThrow();
          var minute =
              new ServedMinute(
                  next,
                  load.ref(),
                  Map.copyOf(service.traffic()),
                  service.minInstances(),
                  served,
                  ttl,
                  hitRate);
          listeners.forEach(l -> l.accept(minute));
        }
      }
      simulatedUntil = next;
      next = next.plus(Duration.ofMinutes(1));
    }
  }

  private Map<String, FakeMetrics.Point> serve(ServiceLoad load, Instant minuteEnd) {
    var service = cloudRun.find(load.ref().resourceName()).orElseThrow();
    Map<String, FakeMetrics.Point> served = new TreeMap<>();
    service
        .traffic()
        .forEach(
            (revision, percent) -> {
              if (percent > 0) {
                var point = point(load, revision, percent, service.minInstances(), minuteEnd);
                metrics.record(point);
                served.put(revision, point);
              }
            });
    return served;
  }

  private FakeMetrics.Point point(
      ServiceLoad load, String revision, int percent, int minInstances, Instant minuteEnd) {
    CloudRunServiceReference ref = load.ref();
    Behaviour b = behaviourDuring(ref, revision, minuteEnd.minus(Duration.ofMinutes(1)));
    Random random =
        random(seed, (ref.resourceName() + revision).hashCode(), minuteEnd.getEpochSecond());
    double expected = load.at(minuteEnd) * percent / 100.0;
    long requests = Math.max(0, Math.round(expected + random.nextGaussian() * Math.sqrt(expected)));
    long errors = binomial(random, requests, b.errorRate());
    long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
    for (long i = 0; i < requests; i++) {
      double millis = b.medianLatencyMillis() * Math.exp(b.latencySpread() * random.nextGaussian());
      latency[bucket(millis)]++;
    }
    long coldStarts = binomial(random, requests, b.coldStartRate() / (1 + 4.0 * minInstances));
    var recorded = recordedInstances.get(ref.resourceName() + "/" + revision);
    double serving;
    if (recorded == null) {
      serving = requests > 0 ? 1 : 0;
    } else {
      var entry = recorded.floorEntry(minuteEnd.minus(Duration.ofMinutes(1)));
      serving = requests * (entry != null ? entry : recorded.firstEntry()).getValue();
    }
    double instances = Math.max(minInstances, serving);
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

  /**
   * A generator for one minute of one revision. The parts are mixed (MurmurHash3's finalizer)
   * first: java.util.Random's first values from nearby seeds are correlated, and minutes a second
   * apart would otherwise drift together.
   */
  private static Random random(long seed, long subject, long epochSecond) {
    long h = seed * 0x9E3779B97F4A7C15L + subject * 0xC2B2AE3D27D4EB4FL + epochSecond;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return new Random(h);
  }

  /**
   * An exact binomial draw, by inverting its distribution function. A normal approximation cut at
   * zero would overstate the errors of a revision that fails a few requests a minute: about 6 % at
   * 1.2 expected, which is a small canary's everyday.
   */
  private static long binomial(Random random, long n, double p) {
    if (n == 0 || p <= 0) {
      return 0;
    }
    return BinomialDistribution.of(Math.toIntExact(n), Math.min(1, p))
        .inverseCumulativeProbability(random.nextDouble());
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
