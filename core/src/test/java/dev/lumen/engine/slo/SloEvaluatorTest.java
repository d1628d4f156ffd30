package dev.lumen.engine.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.api.v1alpha1.AvailabilityObjective;
import dev.lumen.api.v1alpha1.CacheHitRateObjective;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.CustomObjective;
import dev.lumen.api.v1alpha1.ErrorRateObjective;
import dev.lumen.api.v1alpha1.LatencyObjective;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.ServiceReference;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.Sample;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloEvaluatorTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final Duration DAYS_28 = Duration.ofDays(28);
  static final double[] BOUNDS = {100, 200, 400};
  final SloEvaluator evaluator = new SloEvaluator();

  static Objective availability(String target) {
    return new Objective(
        "availability",
        null,
        null,
        null,
        new AvailabilityObjective(target),
        null,
        null,
        null,
        null);
  }

  static Objective errorRate(String max) {
    return new Objective(
        "error-rate", null, null, null, null, null, new ErrorRateObjective(max), null, null);
  }

  static Objective latency(int percentile, String threshold) {
    return new Objective(
        "latency",
        null,
        null,
        null,
        null,
        new LatencyObjective(percentile, threshold),
        null,
        null,
        null);
  }

  static Objective cacheHit(String min) {
    return new Objective(
        "cache-hit", null, null, null, null, null, null, new CacheHitRateObjective(min), null);
  }

  static Objective custom(String name, String min, String max, String forDuration) {
    return new Objective(
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new CustomObjective("q", null, min, max, forDuration, null, null, null));
  }

  static SLOTargetSpec spec(String window, Objective... objectives) {
    return new SLOTargetSpec(
        new ServiceReference(new CloudRunServiceReference("my-project", "us-central1", "web")),
        null,
        window,
        "1m",
        List.of(objectives),
        null);
  }

  /** The same traffic in every window. */
  static SloObservations traffic(RequestCounts requests, LatencyDistribution latency) {
    Map<Duration, TrafficWindow> windows = new HashMap<>();
    for (Duration w : SloEvaluator.requiredWindows(spec("28d", availability("99")))) {
      windows.put(w, TrafficWindow.of(requests, latency));
    }
    return new SloObservations(windows, Map.of(), Map.of());
  }

  @ParameterizedTest(name = "availability {0}% of {1} good vs target {2}")
  @CsvSource({
    "995, 1000, 99.5, true, 0",
    "994, 1000, 99.5, false, -0.2",
    "997, 1000, 99.5, true, 0.4",
    "1000, 1000, 99.5, true, 1"
  })
  void availabilityExcludesOnly5xx(
      long available, long total, String target, boolean met, double budgetLeft) {
    var requests = new RequestCounts(total, 7, total - available);
    var result =
        evaluator
            .evaluate(spec("28d", availability(target)), traffic(requests, null), NOW)
            .objectives()
            .get(0);

    assertThat(result.met()).contains(met);
    assertThat(result.current().orElseThrow()).isCloseTo(100.0 * available / total, within(1e-9));
    assertThat(result.budgetRemaining().orElseThrow()).isCloseTo(budgetLeft, within(1e-9));
  }

  @Test
  void errorRateCounts4xxAnd5xx() {
    var requests = new RequestCounts(10_000, 6, 5);
    var result =
        evaluator
            .evaluate(spec("28d", errorRate("0.1")), traffic(requests, null), NOW)
            .objectives()
            .get(0);

    assertThat(result.current().orElseThrow()).isCloseTo(0.11, within(1e-9));
    assertThat(result.met()).contains(false);
    assertThat(result.budgetRemaining().orElseThrow()).isCloseTo(-0.1, within(1e-9));
  }

  @Test
  void latencyPercentileIsInterpolatedInsideTheBucket() {
    // p95 has rank 95 of 100: 45 of the 50 requests past the first bucket, inside (100, 200].
    var latency = new LatencyDistribution(BOUNDS, new long[] {50, 45, 5, 0});
    var requests = new RequestCounts(100, 0, 0);

    var exact =
        evaluator.evaluate(spec("28d", latency(95, "200ms")), traffic(requests, latency), NOW);
    var tighter =
        evaluator.evaluate(spec("28d", latency(95, "150ms")), traffic(requests, latency), NOW);

    assertThat(exact.objectives().get(0).current()).contains(200.0);
    assertThat(exact.objectives().get(0).met()).contains(true);
    assertThat(tighter.objectives().get(0).met()).contains(false);
    // 150 ms splits the (100, 200] bucket in half: 50 + 22.5 of 100 requests are fast enough.
    assertThat(tighter.objectives().get(0).budgetRemaining().orElseThrow())
        .isCloseTo(1 - 0.275 / 0.05, within(1e-9));
    // The bucket interpolated inside is named, so the Prometheus rules can count the same way.
    assertThat(exact.objectives().get(0).thresholdBucket()).isEmpty();
    assertThat(tighter.objectives().get(0).thresholdBucket())
        .contains(new ObjectiveResult.Bucket(100, 200));
  }

  @Test
  void theBucketAroundAThresholdIsTheOneHoldingItStrictlyInside() {
    var latency = new LatencyDistribution(BOUNDS, new long[] {1, 1, 1, 1});

    assertThat(latency.bucketAround(50))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(0, 100));
    assertThat(latency.bucketAround(150))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(100, 200));
    assertThat(latency.bucketAround(200)).as("a bound").isEmpty();
    assertThat(latency.bucketAround(200.0000000001)).as("a bound read back").isEmpty();
    assertThat(latency.bucketAround(500)).as("the overflow bucket").isEmpty();
  }

  @Test
  void cacheHitRateComesFromLookups() {
    var observed =
        new SloObservations(Map.of(), Map.of(DAYS_28, new CacheCounts(790, 210)), Map.of());

    var result = evaluator.evaluate(spec("28d", cacheHit("80")), observed, NOW).objectives().get(0);

    assertThat(result.current()).contains(79.0);
    assertThat(result.met()).contains(false);
  }

  @ParameterizedTest(name = "{0} of 4 objectives met -> {1}")
  @CsvSource({"4, Healthy, 100", "3, Warning, 75", "2, Critical, 50", "0, Critical, 0"})
  void stateFromTheShareOfObjectivesMet(int met, SloState state, double compliance) {
    var objectives = new Objective[4];
    List<Sample> good = List.of(new Sample(NOW, 5));
    List<Sample> bad = List.of(new Sample(NOW, 50));
    Map<String, List<Sample>> series = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      objectives[i] = custom("c" + i, null, "10", "0s");
      series.put("c" + i, i < met ? good : bad);
    }

    var evaluation =
        evaluator.evaluate(
            spec("28d", objectives), new SloObservations(Map.of(), Map.of(), series), NOW);

    assertThat(evaluation.state()).isEqualTo(state);
    assertThat(evaluation.compliance()).contains(compliance);
  }

  @Test
  void missingDataIsNeitherMetNorFailed() {
    var observed =
        new SloObservations(Map.of(), Map.of(), Map.of("c0", List.of(new Sample(NOW, 1))));

    var partial =
        evaluator.evaluate(
            spec("28d", custom("c0", null, "10", "0s"), availability("99.5")), observed, NOW);
    var none = evaluator.evaluate(spec("28d", availability("99.5")), SloObservations.NONE, NOW);
    var zeroTraffic =
        evaluator.evaluate(
            spec("28d", availability("99.5")), traffic(RequestCounts.NONE, null), NOW);

    assertThat(partial.state()).isEqualTo(SloState.Healthy);
    assertThat(partial.withoutData())
        .extracting(ObjectiveResult::name)
        .containsExactly("availability");
    assertThat(none.state()).isEqualTo(SloState.NoData);
    assertThat(none.compliance()).isEmpty();
    assertThat(zeroTraffic.state()).isEqualTo(SloState.NoData);
  }

  @ParameterizedTest(name = "window {0}: factors {1}")
  @CsvSource({"30d, 14.4|6.0|3.0|1.0", "28d, 13.44|5.6|2.8|0.9333", "2d, 0.96|0.4|0.2", "1h, 0.02"})
  void burnRateFactorsScaleWithTheWindow(String window, String factors) {
    var thresholds =
        BurnRatePair.forWindow(dev.lumen.engine.Durations.parse(window)).stream()
            .map(
                p ->
                    Math.round(p.threshold(dev.lumen.engine.Durations.parse(window)) * 10_000)
                        / 10_000.0)
            .map(String::valueOf)
            .toList();

    assertThat(String.join("|", thresholds)).isEqualTo(factors);
  }

  @Test
  void aPairFiresOnlyWhenBothWindowsBurnFasterThanItsThreshold() {
    // 30-day window, 99.9 % target: budget 0.1 %; 2 % bad is a 20x burn, 1 % a 10x burn.
    Map<Duration, TrafficWindow> windows = new HashMap<>();
    windows.put(Duration.ofDays(30), TrafficWindow.of(new RequestCounts(1_000_000, 0, 500), null));
    windows.put(Duration.ofHours(1), TrafficWindow.of(new RequestCounts(10_000, 0, 200), null));
    windows.put(Duration.ofMinutes(5), TrafficWindow.of(new RequestCounts(1_000, 0, 20), null));
    windows.put(Duration.ofHours(6), TrafficWindow.of(new RequestCounts(60_000, 0, 600), null));
    windows.put(Duration.ofMinutes(30), TrafficWindow.of(new RequestCounts(5_000, 0, 2), null));

    var result =
        evaluator
            .evaluate(
                spec("30d", availability("99.9")),
                new SloObservations(windows, Map.of(), Map.of()),
                NOW)
            .objectives()
            .get(0);

    var oneHour = result.burnRates().get(0);
    var sixHours = result.burnRates().get(1);
    var oneDay = result.burnRates().get(2);
    assertThat(oneHour.longRate().orElseThrow()).isCloseTo(20, within(1e-9));
    assertThat(oneHour.firing()).as("1h and 5m both above 14.4").isTrue();
    assertThat(sixHours.longRate().orElseThrow()).isCloseTo(10, within(1e-9));
    assertThat(sixHours.firing()).as("6h above 6 but 30m recovered to 0.4").isFalse();
    assertThat(oneDay.longRate()).as("no data for 1d").isEmpty();
    assertThat(oneDay.firing()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'out of bounds for 10m', 10, 10, false",
    "'out of bounds for 9m only', 9, 10, true",
    "'back in bounds now', 0, 10, true"
  })
  void customObjectiveBreachesOnlyAfterItsForDuration(
      String what, int minutesOut, int forMinutes, boolean met) {
    List<Sample> samples = new java.util.ArrayList<>();
    for (int m = 20; m >= 0; m--) {
      boolean out = m <= minutesOut && minutesOut > 0;
      samples.add(new Sample(NOW.minus(Duration.ofMinutes(m)), out ? 0.95 : 0.5));
    }
    var result =
        evaluator
            .evaluate(
                spec("28d", custom("phase-diff", "0.1", "0.9", forMinutes + "m")),
                new SloObservations(Map.of(), Map.of(), Map.of("phase-diff", samples)),
                NOW)
            .objectives()
            .get(0);

    assertThat(result.met()).as(what).contains(met);
    assertThat(result.target()).isEqualTo(">= 0.1 and <= 0.9");
  }

  @Test
  void requiredWindowsCoverTheWindowAndEveryBurnRatePair() {
    assertThat(SloEvaluator.requiredWindows(spec("28d", availability("99"))))
        .containsExactly(
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(3),
            DAYS_28);
  }

  @Test
  void sameInputsGiveTheSameEvaluation() {
    var latency = new LatencyDistribution(BOUNDS, new long[] {50, 45, 5, 0});
    var observed = traffic(new RequestCounts(100, 1, 1), latency);
    var spec = spec("28d", availability("99.5"), latency(95, "200ms"), errorRate("1"));

    assertThat(evaluator.evaluate(spec, observed, NOW))
        .isEqualTo(evaluator.evaluate(spec, observed, NOW));
  }
}
