package dev.lumen.engine.slo;

import dev.lumen.api.v1alpha1.CustomObjective;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.Sample;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Measures an SLOTarget's objectives: the SLI over the compliance window, whether it meets the
 * target, the error budget left and the burn-rate pairs; then the overall state from the share of
 * objectives met.
 */
public final class SloEvaluator {
  /** Float noise must not turn an SLI exactly on its target into a miss. */
  private static final double EPSILON = 1e-12;

  /** The trailing windows the observations must cover for {@code spec}, shortest first. */
  public static List<Duration> requiredWindows(SLOTargetSpec spec) {
    Duration window = Durations.parse(spec.window());
    var windows = new TreeSet<Duration>();
    windows.add(window);
    for (BurnRatePair pair : BurnRatePair.forWindow(window)) {
      windows.add(pair.longWindow());
      windows.add(pair.shortWindow());
    }
    return List.copyOf(windows);
  }

  public SloEvaluation evaluate(SLOTargetSpec spec, SloObservations observed, Instant now) {
    Duration window = Durations.parse(spec.window());
    List<ObjectiveResult> results = new ArrayList<>();
    for (Objective objective : spec.objectives()) {
      results.add(evaluate(objective, observed, window, now));
    }
    long evaluated = results.stream().filter(ObjectiveResult::hasData).count();
    long met = results.stream().filter(r -> r.met().orElse(false)).count();
    if (evaluated == 0) {
      return new SloEvaluation(SloState.NoData, Optional.empty(), results);
    }
    SloState state;
    if (met == evaluated) {
      state = SloState.Healthy;
    } else if (met * 4 >= evaluated * 3) {
      state = SloState.Warning;
    } else {
      state = SloState.Critical;
    }
    return new SloEvaluation(state, Optional.of(100.0 * met / evaluated), results);
  }

  private ObjectiveResult evaluate(
      Objective objective, SloObservations observed, Duration window, Instant now) {
    if (objective.availability() != null) {
      double target = Decimals.parse(objective.availability().target());
      return ratio(
          objective.name(),
          "%",
          objective.availability().target(),
          target / 100,
          w ->
              observed
                  .traffic(w)
                  .map(t -> Ratio.of(t.requests().available(), t.requests().total())),
          (ratio, total) -> 100 * ratio.good() / total,
          window);
    }
    if (objective.errorRate() != null) {
      double max = Decimals.parse(objective.errorRate().max());
      return ratio(
          objective.name(),
          "%",
          objective.errorRate().max(),
          1 - max / 100,
          w ->
              observed
                  .traffic(w)
                  .map(
                      t ->
                          Ratio.of(
                              t.requests().total() - t.requests().errors(), t.requests().total())),
          (ratio, total) -> 100 * (total - ratio.good()) / total,
          window);
    }
    if (objective.latency() != null) {
      int percentile = objective.latency().percentile();
      double threshold = Durations.parse(objective.latency().threshold()).toNanos() / 1e6;
      Optional<ObjectiveResult.Bucket> bucket =
          observed
              .traffic(window)
              .flatMap(TrafficWindow::latency)
              .flatMap(d -> d.bucketAround(threshold))
              .map(b -> new ObjectiveResult.Bucket(b[0], b[1]));
      return ratio(
              objective.name(),
              "ms",
              Decimals.format(threshold, 3),
              percentile / 100.0,
              w ->
                  observed
                      .traffic(w)
                      .flatMap(TrafficWindow::latency)
                      .map(d -> new Ratio(d.countAtOrBelow(threshold), d.total())),
              (ratio, total) ->
                  observed
                      .traffic(window)
                      .flatMap(TrafficWindow::latency)
                      .map(d -> d.percentile(percentile))
                      .orElse(Double.NaN),
              window)
          .withThresholdBucket(bucket);
    }
    if (objective.cacheHitRate() != null) {
      double min = Decimals.parse(objective.cacheHitRate().min());
      return ratio(
          objective.name(),
          "%",
          objective.cacheHitRate().min(),
          min / 100,
          w -> observed.cache(w).map(c -> Ratio.of(c.hits(), c.lookups())),
          (ratio, total) -> 100 * ratio.good() / total,
          window);
    }
    return custom(objective.name(), objective.custom(), observed.custom(objective.name()), now);
  }

  /** Good events over all events; a window without events has no ratio. */
  record Ratio(double good, double total) {
    static Ratio of(long good, long total) {
      return new Ratio(good, total);
    }

    Optional<Double> badFraction() {
      return total > 0 ? Optional.of(1 - good / total) : Optional.empty();
    }
  }

  /** Converts a window's ratio to the objective's display unit. */
  private interface Display {
    double value(Ratio ratio, double total);
  }

  private ObjectiveResult ratio(
      String name,
      String unit,
      String targetText,
      double targetFraction,
      Function<Duration, Optional<Ratio>> ratioOver,
      Display display,
      Duration window) {
    double budget = 1 - targetFraction;
    List<ObjectiveResult.BurnRate> burnRates = new ArrayList<>();
    for (BurnRatePair pair : BurnRatePair.forWindow(window)) {
      burnRates.add(
          new ObjectiveResult.BurnRate(
              pair,
              ratioOver
                  .apply(pair.longWindow())
                  .flatMap(Ratio::badFraction)
                  .map(b -> burn(b, budget)),
              ratioOver
                  .apply(pair.shortWindow())
                  .flatMap(Ratio::badFraction)
                  .map(b -> burn(b, budget)),
              pair.threshold(window)));
    }
    Optional<Ratio> overWindow = ratioOver.apply(window).filter(r -> r.total() > 0);
    if (overWindow.isEmpty()) {
      return new ObjectiveResult(
          name, unit, Optional.empty(), targetText, Optional.empty(), Optional.empty(), burnRates);
    }
    Ratio ratio = overWindow.get();
    double goodFraction = ratio.good() / ratio.total();
    double bad = 1 - goodFraction;
    double remaining = budget > EPSILON ? 1 - bad / budget : (bad > EPSILON ? -1 : 1);
    return new ObjectiveResult(
        name,
        unit,
        Optional.of(display.value(ratio, ratio.total())),
        targetText,
        Optional.of(goodFraction >= targetFraction - EPSILON),
        Optional.of(remaining),
        burnRates);
  }

  /** How many times faster than "exactly on budget over the window" the budget burns. */
  private static double burn(double badFraction, double budget) {
    return budget > EPSILON
        ? badFraction / budget
        : (badFraction > EPSILON ? Double.POSITIVE_INFINITY : 0);
  }

  /**
   * A custom objective is not met while its value has been out of bounds for at least its {@code
   * for} duration, as a Prometheus alert with {@code for} fires.
   */
  private ObjectiveResult custom(
      String name, CustomObjective custom, List<Sample> samples, Instant now) {
    String target =
        (custom.min() == null ? "" : ">= " + custom.min())
            + (custom.min() != null && custom.max() != null ? " and " : "")
            + (custom.max() == null ? "" : "<= " + custom.max());
    List<Sample> seen = samples.stream().filter(s -> !s.time().isAfter(now)).toList();
    if (seen.isEmpty()) {
      return new ObjectiveResult(
          name, "", Optional.empty(), target, Optional.empty(), Optional.empty(), List.of());
    }
    Sample latest = seen.get(seen.size() - 1);
    Duration forDuration = Durations.parse(custom.forDuration());
    Instant breachSince = null;
    for (int i = seen.size() - 1; i >= 0 && outOfBounds(custom, seen.get(i).value()); i--) {
      breachSince = seen.get(i).time();
    }
    boolean breached =
        breachSince != null
            && Duration.between(breachSince, latest.time()).compareTo(forDuration) >= 0;
    return new ObjectiveResult(
        name,
        "",
        Optional.of(latest.value()),
        target,
        Optional.of(!breached),
        Optional.empty(),
        List.of());
  }

  private static boolean outOfBounds(CustomObjective custom, double value) {
    return (custom.min() != null && value < Decimals.parse(custom.min()))
        || (custom.max() != null && value > Decimals.parse(custom.max()));
  }
}
