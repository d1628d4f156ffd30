package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.RolloutStatus.EvidenceStatus;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the comparisons with stable have shown, as log likelihood ratios: for a rollback, one per
 * regression size weighed against the tolerance; for a promotion, the canary within the tolerance
 * against mustCatch. Each step's counts come under one traffic split, so a step's ratios are
 * computed on its counts and the steps' ratios add up: evidence accumulates over the rollout and is
 * not lost when the canary moves on.
 */
public final class Evidence {
  public static final Evidence NONE =
      new Evidence(
          new double[ComparisonBasis.ALTERNATIVES],
          0,
          0,
          new double[ComparisonBasis.ALTERNATIVES],
          0);

  private static final double[] WEIGHTS = Mixtures.halving(ComparisonBasis.ALTERNATIVES);

  /** The promotion's share for the ratio to stable; the rest is for the floor. */
  static final double RATIO_WEIGHT = 0.7;

  private static final double[] WITHIN_WEIGHTS = {RATIO_WEIGHT, 1 - RATIO_WEIGHT};

  private final double[] errorRateWorse;
  private final double errorRateWithin;
  private final double promotionWithHistory;
  private final double errorRateBelowFloor;
  private final double[] latencyWorse;
  private final double latencyWithin;

  private Evidence(
      double[] errorRateWorse,
      double errorRateWithin,
      double errorRateBelowFloor,
      double[] latencyWorse,
      double latencyWithin) {
    this(
        errorRateWorse,
        errorRateWithin,
        errorRateBelowFloor,
        latencyWorse,
        latencyWithin,
        Double.NaN);
  }

  private Evidence(
      double[] errorRateWorse,
      double errorRateWithin,
      double errorRateBelowFloor,
      double[] latencyWorse,
      double latencyWithin,
      double promotionWithHistory) {
    this.promotionWithHistory = promotionWithHistory;
    this.errorRateWorse = errorRateWorse;
    this.errorRateWithin = errorRateWithin;
    this.errorRateBelowFloor = errorRateBelowFloor;
    this.latencyWorse = latencyWorse;
    this.latencyWithin = latencyWithin;
  }

  /** The evidence of one step's traffic, canary and stable over the same minutes. */
  public static Evidence ofStep(
      ComparisonBasis basis, Optional<TrafficWindow> canary, Optional<TrafficWindow> stable) {
    if (canary.isEmpty() || stable.isEmpty()) {
      return NONE;
    }
    RequestCounts c = canary.get().requests();
    RequestCounts s = stable.get().requests();
    double[] errorRatios = basis.errorRateWorse();
    double[] errorWorse = new double[errorRatios.length];
    for (int i = 0; i < errorRatios.length; i++) {
      errorWorse[i] =
          RateRatio.logLikelihoodRatio(
              c.errors(), c.total(), s.errors(), s.total(), errorRatios[i], basis.tolerated());
    }
    double errorWithin =
        RateRatio.logLikelihoodRatio(
            c.errors(),
            c.total(),
            s.errors(),
            s.total(),
            basis.errorRateWithin(),
            basis.errorRateMustCatch());
    double errorBelowFloor = belowFloor(c, s);
    double[] latencyRatios = basis.latencyWorse();
    double[] latencyWorse = new double[latencyRatios.length];
    double latencyWithin = 0;
    Optional<LatencyDistribution> cl = canary.get().latency();
    Optional<LatencyDistribution> sl = stable.get().latency();
    if (comparable(cl, sl)) {
      LatencyShift shift = new LatencyShift(sl.get());
      long[] counts = cl.get().counts();
      double[] tolerated = shift.probabilities(basis.tolerated());
      for (int i = 0; i < latencyRatios.length; i++) {
        latencyWorse[i] =
            LatencyShift.logLikelihoodRatio(
                counts, shift.probabilities(latencyRatios[i]), tolerated);
      }
      latencyWithin =
          shift.logLikelihoodRatio(counts, basis.latencyWithin(), basis.latencyMustCatch());
    }
    return new Evidence(errorWorse, errorWithin, errorBelowFloor, latencyWorse, latencyWithin);
  }

  /**
   * The log likelihood ratio of "the canary fails as often as stable, plus a quarter of {@link
   * CanaryAnalyzer#ERROR_RATE_FLOOR}" against "stable's rate plus the floor": the rollback never
   * calls a worsening below the floor a regression, so a canary shown below it may be promoted
   * whatever the ratio. It is what promotes a service that rarely fails, whose errors are too few
   * for the ratio to be told in time. Stable's rate is the step's measurement.
   */
  private static double belowFloor(RequestCounts canary, RequestCounts stable) {
    double stableRate = stable.total() == 0 ? 0 : (double) stable.errors() / stable.total();
    double allowed = stableRate + CanaryAnalyzer.ERROR_RATE_FLOOR;
    double low = stableRate + CanaryAnalyzer.ERROR_RATE_FLOOR / 4;
    return canary.errors() * Math.log(low / allowed)
        + (canary.total() - canary.errors()) * Math.log((1 - low) / (1 - allowed));
  }

  /** The same, expected per request of a canary that fails as often as stable. */
  static double belowFloorPerRequest(double stableRate) {
    double allowed = stableRate + CanaryAnalyzer.ERROR_RATE_FLOOR;
    double low = stableRate + CanaryAnalyzer.ERROR_RATE_FLOOR / 4;
    return stableRate * Math.log(low / allowed)
        + (1 - stableRate) * Math.log((1 - low) / (1 - allowed));
  }

  /** Whether the canary's latency can be weighed against stable's. */
  static boolean comparable(
      Optional<LatencyDistribution> canary, Optional<LatencyDistribution> stable) {
    return canary.isPresent()
        && stable.isPresent()
        && canary.get().total() > 0
        && stable.get().total() > 0
        && canary.get().sameBuckets(stable.get());
  }

  /**
   * This evidence with the promotion on error rate weighed on the rollout's totals, stable's with
   * its history before the rollout ({@link StableHistory}): with stable's rate nearly known a
   * canary within the tolerance is told from mustCatch far sooner than step by step. Only the
   * promotion: the rollback stays on each step's own counts, where a dependency failing for a few
   * minutes strikes canary and stable alike; weighed against an older rate it would look like a
   * regression. Not kept in status: it is worked out again at each analysis.
   */
  public Evidence withPromotionOver(
      ComparisonBasis basis, RequestCounts canary, RequestCounts stableWithHistory) {
    return new Evidence(
        errorRateWorse,
        errorRateWithin,
        errorRateBelowFloor,
        latencyWorse,
        latencyWithin,
        RateRatio.logLikelihoodRatio(
            canary.errors(),
            canary.total(),
            stableWithHistory.errors(),
            stableWithHistory.total(),
            basis.errorRateWithin(),
            basis.errorRateMustCatch()));
  }

  /** Whether the promotion on error rate is weighed with stable's history. */
  boolean promotesWithHistory() {
    return !Double.isNaN(promotionWithHistory);
  }

  public Evidence plus(Evidence other) {
    return new Evidence(
        add(errorRateWorse, other.errorRateWorse),
        errorRateWithin + other.errorRateWithin,
        errorRateBelowFloor + other.errorRateBelowFloor,
        add(latencyWorse, other.latencyWorse),
        latencyWithin + other.latencyWithin);
  }

  /** The log of the evidence that the canary's error rate is worse than the tolerance. */
  double errorRateWorse() {
    return Mixtures.logWeightedMean(errorRateWorse, WEIGHTS, WEIGHTS.length);
  }

  /**
   * The log of the evidence that the canary's error rate is better than mustCatch, or below the
   * floor of what is called a regression at all: a mixture of the two, seven parts to three.
   */
  double errorRateWithin() {
    double ratio = promotesWithHistory() ? promotionWithHistory : errorRateWithin;
    return Mixtures.logWeightedMean(new double[] {ratio, errorRateBelowFloor}, WITHIN_WEIGHTS, 2);
  }

  double latencyWorse() {
    return Mixtures.logWeightedMean(latencyWorse, WEIGHTS, WEIGHTS.length);
  }

  double latencyWithin() {
    return latencyWithin;
  }

  public EvidenceStatus toStatus(ComparisonBasis basis) {
    return new EvidenceStatus(
        basis.describe(),
        strings(errorRateWorse),
        Decimals.format(errorRateWithin, 4),
        Decimals.format(errorRateBelowFloor, 4),
        strings(latencyWorse),
        Decimals.format(latencyWithin, 4));
  }

  /**
   * Evidence read back from status; none when it was gathered on another basis (the spec changed)
   * or was edited into something else: dropping evidence only delays decisions.
   */
  public static Evidence fromStatus(EvidenceStatus status, ComparisonBasis basis) {
    if (status == null || !basis.describe().equals(status.basis())) {
      return NONE;
    }
    Optional<double[]> errors = numbers(status.errorRateWorse());
    Optional<double[]> latency = numbers(status.latencyWorse());
    Optional<Double> errorWithin = Decimals.tryParse(status.errorRateWithin());
    Optional<Double> belowFloor = Decimals.tryParse(status.errorRateBelowFloor());
    Optional<Double> latencyWithin = Decimals.tryParse(status.latencyWithin());
    if (errors.isEmpty()
        || latency.isEmpty()
        || errorWithin.isEmpty()
        || belowFloor.isEmpty()
        || latencyWithin.isEmpty()) {
      return NONE;
    }
    return new Evidence(
        errors.get(), errorWithin.get(), belowFloor.get(), latency.get(), latencyWithin.get());
  }

  public boolean isNone() {
    return equals(NONE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Evidence e
        && Arrays.equals(errorRateWorse, e.errorRateWorse)
        && errorRateWithin == e.errorRateWithin
        && errorRateBelowFloor == e.errorRateBelowFloor
        && Arrays.equals(latencyWorse, e.latencyWorse)
        && latencyWithin == e.latencyWithin;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(errorRateWorse) * 31 + Arrays.hashCode(latencyWorse);
  }

  private static double[] add(double[] a, double[] b) {
    double[] sum = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
  }

  private static List<String> strings(double[] values) {
    return Arrays.stream(values).mapToObj(v -> Decimals.format(v, 4)).toList();
  }

  private static Optional<double[]> numbers(List<String> texts) {
    if (texts == null || texts.size() != ComparisonBasis.ALTERNATIVES) {
      return Optional.empty();
    }
    double[] values = new double[texts.size()];
    for (int i = 0; i < values.length; i++) {
      Optional<Double> value = Decimals.tryParse(texts.get(i));
      if (value.isEmpty() || !Double.isFinite(value.get())) {
        return Optional.empty();
      }
      values[i] = value.get();
    }
    return Optional.of(values);
  }
}
