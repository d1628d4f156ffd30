package dev.lumen.observe;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.CustomObjective.QueryLanguage;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.Sample;
import dev.lumen.engine.measure.TrafficWindow;
import dev.lumen.engine.slo.SloEvaluator;
import dev.lumen.engine.slo.SloObservations;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CustomSeriesQuery;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures one SLOTarget: the service's traffic over every window the evaluation needs (shared
 * reads), its cache over the same windows (from the readings a policy of the same service takes),
 * and each custom objective's query. What fails is left out and named as a gap.
 */
public final class SloObserver {
  private static final Duration MIN_QUERY_STEP = Duration.ofSeconds(15);

  private final Backends backends;
  private final BatchedMetrics metrics;
  private final CacheReadings cacheReadings;
  private final Duration dataDelay;

  public SloObserver(
      Backends backends, BatchedMetrics metrics, CacheReadings cacheReadings, Duration dataDelay) {
    this.backends = backends;
    this.metrics = metrics;
    this.cacheReadings = cacheReadings;
    this.dataDelay = dataDelay;
  }

  /** What was measured, and what could not be. */
  public record Observation(SloObservations observations, List<String> gaps) {}

  /**
   * @param owner the SLOTarget, to register its service for the shared reads
   * @param prometheusAuthorization the Authorization header for a Prometheus source, from the
   *     SLOTarget's Secrets
   */
  public Observation observe(
      String owner, SLOTargetSpec spec, Optional<String> prometheusAuthorization, Instant now) {
    CloudRunServiceReference ref = spec.service().cloudRun();
    List<String> gaps = new ArrayList<>();
    Set<MetricKind> kinds = kinds(spec);
    Map<Duration, TrafficWindow> traffic = new HashMap<>();
    Map<Duration, CacheCounts> cache = new HashMap<>();
    List<Duration> windows = SloEvaluator.requiredWindows(spec);
    if (!kinds.isEmpty()) {
      var scope =
          new BatchedMetrics.Scope(
              metricSource(spec, prometheusAuthorization), metricsProject(spec));
      metrics.watch(owner, scope, ref.name());
      for (Duration length : windows) {
        try {
          var read =
              metrics.read(scope, ref.name(), Window.trailing(now, dataDelay, length), kinds);
          var total = PolicyObserver.total(read, ref);
          total
              .requests()
              .ifPresent(r -> traffic.put(length, new TrafficWindow(r, total.latency())));
        } catch (PortException e) {
          gaps.add("metrics over " + Durations.format(length) + ": " + e.getMessage());
        }
      }
    }
    // The readings are taken by the policy that tunes this service's cache, if there is one.
    for (Duration length : windows) {
      cacheReadings.over(ref.resourceName(), now, length).ifPresent(c -> cache.put(length, c));
    }
    Map<String, List<Sample>> custom = new HashMap<>();
    for (Objective objective : spec.objectives()) {
      if (objective.custom() != null) {
        customSamples(spec, prometheusAuthorization, objective, now, gaps)
            .ifPresent(s -> custom.put(objective.name(), s));
      }
    }
    return new Observation(new SloObservations(traffic, cache, custom), List.copyOf(gaps));
  }

  /**
   * See {@link BatchedMetrics#expect}: Cloud Monitoring sources only (a Prometheus source is read
   * per SLOTarget); a spec that names no Cloud Run service is left out.
   */
  public void expect(String owner, SLOTargetSpec spec) {
    if (spec != null
        && spec.service() != null
        && spec.service().cloudRun() != null
        && !prometheusSource(spec)) {
      metrics.expect(owner, metricsProject(spec), spec.service().cloudRun().name());
    }
  }

  /** The SLOTarget is gone: its service leaves the shared reads. */
  public void forget(String owner) {
    metrics.forget(owner);
  }

  private Optional<List<Sample>> customSamples(
      SLOTargetSpec spec,
      Optional<String> prometheusAuthorization,
      Objective objective,
      Instant now,
      List<String> gaps) {
    if (objective.custom().languageFor(spec.source()) == QueryLanguage.MonitoringFilter) {
      return monitoringSamples(spec, objective, now, gaps);
    }
    Duration step = Durations.parse(spec.evaluationInterval());
    if (step.compareTo(MIN_QUERY_STEP) < 0) {
      step = MIN_QUERY_STEP;
    }
    Duration lookBack =
        Durations.parse(objective.custom().forDuration()).plus(step.multipliedBy(5));
    // A Prometheus holds what it scraped a moment ago; Cloud Monitoring shows a minute late.
    Instant end = prometheusSource(spec) ? now : now.minus(dataDelay);
    try {
      return Optional.of(
          metricSource(spec, prometheusAuthorization)
              .promqlSeries(
                  metricsProject(spec),
                  objective.custom().query(),
                  end.minus(lookBack),
                  end,
                  step));
    } catch (PortException e) {
      gaps.add("custom objective " + objective.name() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A custom objective's Monitoring filter, aligned and reduced as it says, from its for-duration
   * and five periods more before now; the last samples may be incomplete, as Monitoring's are.
   */
  private Optional<List<Sample>> monitoringSamples(
      SLOTargetSpec spec, Objective objective, Instant now, List<String> gaps) {
    var custom = objective.custom();
    Duration period =
        custom.alignmentPeriod() == null
            ? Duration.ofMinutes(1)
            : Durations.parse(custom.alignmentPeriod());
    if (period.compareTo(Duration.ofMinutes(1)) < 0) {
      period = Duration.ofMinutes(1);
    }
    Duration lookBack =
        Durations.parse(custom.forDuration() == null ? "0s" : custom.forDuration())
            .plus(period.multipliedBy(5));
    var query =
        new CustomSeriesQuery(
            custom.query(),
            custom.aligner() == null ? "ALIGN_MEAN" : custom.aligner(),
            custom.reducer() == null ? "REDUCE_SUM" : custom.reducer(),
            period);
    Instant end = now.minus(dataDelay);
    try {
      return Optional.of(
          backends
              .monitoring()
              .customSeries(metricsProject(spec), query, end.minus(lookBack), end));
    } catch (PortException e) {
      gaps.add("custom objective " + objective.name() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean prometheusSource(SLOTargetSpec spec) {
    return spec.source() != null && spec.source().prometheus() != null;
  }

  private MetricSource metricSource(SLOTargetSpec spec, Optional<String> prometheusAuthorization) {
    if (prometheusSource(spec)) {
      return backends.prometheusMetrics(prometheus(spec, prometheusAuthorization));
    }
    return backends.monitoring();
  }

  private static HttpEndpoint prometheus(SLOTargetSpec spec, Optional<String> authorization) {
    return new HttpEndpoint(URI.create(spec.source().prometheus().url()), authorization);
  }

  private static String metricsProject(SLOTargetSpec spec) {
    if (spec.source() != null
        && spec.source().cloudMonitoring() != null
        && spec.source().cloudMonitoring().project() != null) {
      return spec.source().cloudMonitoring().project();
    }
    return spec.service().cloudRun().project();
  }

  /** Latency buckets are read only when an objective needs them. */
  private static Set<MetricKind> kinds(SLOTargetSpec spec) {
    Set<MetricKind> kinds = EnumSet.noneOf(MetricKind.class);
    for (Objective o : spec.objectives()) {
      if (o.availability() != null || o.errorRate() != null) {
        kinds.add(MetricKind.REQUESTS);
      }
      if (o.latency() != null) {
        kinds.add(MetricKind.REQUESTS);
        kinds.add(MetricKind.LATENCIES);
      }
    }
    return kinds;
  }
}
