package dev.lumen.engine.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.engine.canary.CanaryAnalyzer.PromotionEvidence;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanaryAnalyzerTest {
  /** The spec defaults: minRequests 100, max error 1 %, p95 15 s, success 95 %, 95 % confidence. */
  static final AnalysisSpec DEFAULTS =
      new AnalysisSpec("1m", 100, 2, "1", "15s", "95", true, "25", "95", "0.75");

  static final double[] BOUNDS = LatencyDistribution.exponentialBounds(20, 1.4, 10);
  final CanaryAnalyzer analyzer = new CanaryAnalyzer();

  /** A latency histogram with its mass around bucket {@code center}. */
  static LatencyDistribution latency(long n, int center) {
    long[] counts = new long[BOUNDS.length + 1];
    counts[center - 1] = n / 4;
    counts[center] = n / 2;
    counts[center + 1] = n - n / 4 - n / 2;
    return new LatencyDistribution(BOUNDS, counts);
  }

  static TrafficWindow window(long n, long clientErrors, long serverErrors, int latencyBucket) {
    return TrafficWindow.of(
        new RequestCounts(n, clientErrors, serverErrors), latency(n, latencyBucket));
  }

  @ParameterizedTest(name = "{0} requests -> Inconclusive")
  @CsvSource({"0", "1", "99"})
  void tooFewRequestsIsInconclusiveNeverPassOrFail(long n) {
    var result =
        analyzer.analyze(
            DEFAULTS, window(n, 0, n, 5), Optional.of(window(10_000, 0, 0, 5)), Optional.empty());

    assertThat(result.verdict()).isEqualTo(Verdict.Inconclusive);
    assertThat(result.score()).isZero();
    assertThat(result.checks())
        .hasSize(5)
        .allSatisfy(c -> assertThat(c.message()).contains("fewer than minRequests 100"));
  }

  @Test
  void aHealthyCanaryPassesEveryCheck() {
    var result =
        analyzer.analyze(
            DEFAULTS,
            window(5_000, 5, 5, 5),
            Optional.of(window(95_000, 100, 90, 5)),
            Optional.empty());

    assertThat(result.verdict()).isEqualTo(Verdict.Pass);
    assertThat(result.score()).isEqualTo(1.0);
    assertThat(result.checks())
        .extracting(Check::name)
        .containsExactly(
            "errorRate", "successRate", "latencyP95", "errorRateVsStable", "latencyVsStable");
  }

  @Test
  void aClearlyFailingCanaryFailsWithTheMeasuredValueInTheReason() {
    var result =
        analyzer.analyze(
            DEFAULTS,
            window(2_000, 0, 100, 5),
            Optional.of(window(38_000, 0, 38, 5)),
            Optional.empty());

    assertThat(result.verdict()).isEqualTo(Verdict.Fail);
    Check errorRate = result.checks().get(0);
    assertThat(errorRate.verdict()).isEqualTo(Verdict.Fail);
    assertThat(errorRate.value()).isEqualTo("5");
    assertThat(errorRate.message())
        .isEqualTo("error rate 5 % is above 1 % (shown by a sequential test over 2000 requests)");
    assertThat(result.failures())
        .contains("errorRateVsStable: error rate 5 % is significantly worse");
  }

  @Test
  void twoErrorsInAHundredRequestsIsNotEvidenceOfABadCanary() {
    // 2 % measured, above the 1 % limit, but at 100 requests the true rate may well be under 1 %.
    var lowTraffic =
        analyzer.analyze(
            DEFAULTS, window(100, 2, 0, 5), Optional.of(window(1_900, 10, 0, 5)), Optional.empty());
    var highTraffic =
        analyzer.analyze(
            DEFAULTS,
            window(2_000, 40, 0, 5),
            Optional.of(window(38_000, 190, 0, 5)),
            Optional.empty());

    assertThat(lowTraffic.checks().get(0).verdict()).isEqualTo(Verdict.Inconclusive);
    assertThat(lowTraffic.verdict()).isEqualTo(Verdict.Inconclusive);
    assertThat(highTraffic.checks().get(0).verdict()).isEqualTo(Verdict.Fail);
    assertThat(highTraffic.verdict()).isEqualTo(Verdict.Fail);
  }

  @Test
  void aSlowerCanaryFailsAgainstStableEvenWithinTheAbsoluteLatencyLimit() {
    // Two buckets slower is about twice the latency: far beyond the 25 % tolerance.
    var result =
        analyzer.analyze(
            DEFAULTS,
            window(2_000, 0, 0, 7),
            Optional.of(window(38_000, 0, 0, 5)),
            Optional.empty());

    Check latency = result.checks().get(4);
    assertThat(result.checks().get(2).verdict())
        .as("p95 is still under 15 s")
        .isEqualTo(Verdict.Pass);
    assertThat(latency.verdict()).isEqualTo(Verdict.Fail);
    assertThat(latency.message()).startsWith("canary is significantly slower than stable");
    assertThat(result.verdict()).isEqualTo(Verdict.Fail);
  }

  @Test
  void p95OverTheLimitFailsOnlyWithConfidence() {
    var slowSpec = new AnalysisSpec("1m", 100, 2, "1", "100ms", "95", false, "25", "95", "0.75");
    // Bucket 8 of 10 ms x 1.4^i lies around 150 ms: the whole distribution is above 100 ms.
    var result =
        analyzer.analyze(slowSpec, window(1_000, 0, 0, 8), Optional.empty(), Optional.empty());

    assertThat(result.checks()).hasSize(3);
    assertThat(result.checks().get(2).verdict()).isEqualTo(Verdict.Fail);
    assertThat(result.checks().get(2).message()).contains("at least");
  }

  @Test
  void aMeasurementBeyondItsLimitHoldsPromotionButNotAnEarlierStep() {
    // 1 % against stable's 0.5 %: beyond the 25 % tolerance, not significantly at 3,000 requests,
    // and the four other checks pass (score 0.8).
    var canary = window(3_000, 30, 0, 5);
    var stable = Optional.of(window(3_000, 15, 0, 5));

    var earlyStep = analyzer.analyze(DEFAULTS, canary, stable, Optional.empty());
    var lastStep =
        analyzer.analyze(
            DEFAULTS,
            canary,
            stable,
            Optional.of(new PromotionEvidence(canary.requests(), stable.get().requests())));

    Check vsStable = lastStep.checks().get(3);
    assertThat(vsStable.verdict()).isEqualTo(Verdict.Inconclusive);
    assertThat(vsStable.message()).contains("above stable's 0.5 % plus tolerance, but not");
    assertThat(earlyStep.score()).isEqualTo(0.8);
    assertThat(earlyStep.verdict()).isEqualTo(Verdict.Pass);
    assertThat(lastStep.score()).isEqualTo(0.8);
    assertThat(lastStep.verdict()).isEqualTo(Verdict.Inconclusive);
  }

  @Test
  void promotionWeighsTheWholeRolloutsRequests() {
    // The last step alone is the case above, Inconclusive. With the 1,500 canary and 28,500
    // stable requests of the earlier steps, failing at the same rates, both tests find the canary
    // worse than stable beyond the tolerance.
    var canary = window(3_000, 30, 0, 5);
    var stable = Optional.of(window(3_000, 15, 0, 5));
    var rollout =
        new PromotionEvidence(new RequestCounts(4_500, 45, 0), new RequestCounts(31_500, 157, 0));

    var result = analyzer.analyze(DEFAULTS, canary, stable, Optional.of(rollout));

    Check vsStable = result.checks().get(3);
    assertThat(vsStable.verdict()).isEqualTo(Verdict.Fail);
    assertThat(vsStable.message()).endsWith("(the rollout's 4500 requests)");
    assertThat(result.verdict()).isEqualTo(Verdict.Fail);
    assertThat(result.canaryRequests())
        .as("the step's own, as minRequests counts")
        .isEqualTo(3_000);
  }

  @Test
  void checksWithoutDataDoNotHoldPromotion() {
    // No latency measured: both latency checks are Inconclusive for want of data, not because a
    // measurement is beyond its limit, so the score (3 of 5, enough here) decides.
    var lenient = new AnalysisSpec("1m", 100, 2, "1", "15s", "95", true, "25", "95", "0.6");
    var canary = new TrafficWindow(new RequestCounts(3_000, 15, 0), Optional.empty());

    var stable = window(3_000, 15, 0, 5);
    var result =
        analyzer.analyze(
            lenient,
            canary,
            Optional.of(stable),
            Optional.of(new PromotionEvidence(canary.requests(), stable.requests())));

    assertThat(result.checks())
        .filteredOn(c -> c.verdict() == Verdict.Inconclusive)
        .extracting(Check::name)
        .containsExactly("latencyP95", "latencyVsStable");
    assertThat(result.verdict()).isEqualTo(Verdict.Pass);
  }

  @Test
  void theScoreIsTheShareOfChecksPassedAndMustReachTheMinimum() {
    // Stable too small to compare: two checks stay Inconclusive, 3 of 5 pass -> 0.6 < 0.75.
    var result =
        analyzer.analyze(
            DEFAULTS, window(5_000, 0, 0, 5), Optional.of(window(50, 0, 0, 5)), Optional.empty());

    assertThat(result.score()).isCloseTo(0.6, within(1e-12));
    assertThat(result.verdict()).isEqualTo(Verdict.Inconclusive);
  }

  @Test
  void histogramMannWhitneyAgreesWithTheReferenceImplementation() {
    var canary =
        new LatencyDistribution(new double[] {10, 20, 40, 80}, new long[] {3, 9, 14, 8, 2});
    var stable =
        new LatencyDistribution(new double[] {10, 20, 40, 80}, new long[] {6, 15, 12, 5, 1});

    double ours = MannWhitney.pValueCanarySlower(canary, stable);
    double reference =
        MannWhitneyUTest.withDefaults()
            .with(AlternativeHypothesis.GREATER_THAN)
            .with(PValueMethod.ASYMPTOTIC)
            .with(ContinuityCorrection.ENABLED)
            .test(expand(canary), expand(stable))
            .getPValue();

    assertThat(ours).isCloseTo(reference, within(1e-9));
  }

  @ParameterizedTest(name = "n = {0}")
  @CsvSource({"211", "500", "2500", "100000"})
  void theNormalApproximationOfTheRankBoundIsWithinOneRankOfTheExactQuantile(int n) {
    double exact =
        org.apache.commons.statistics.distribution.BinomialDistribution.of(n, 0.95)
            .inverseCumulativeProbability(0.05);

    assertThat(CanaryAnalyzer.lowerConfidenceRank(n, 0.95, 0.95)).isCloseTo(exact, within(1.0));
  }

  /** One sample per request, at its bucket's index: ties within a bucket, as in the histogram. */
  private static double[] expand(LatencyDistribution d) {
    long[] counts = d.counts();
    return IntStream.range(0, counts.length)
        .flatMap(i -> IntStream.generate(() -> i).limit(counts[i]))
        .asDoubleStream()
        .toArray();
  }
}
