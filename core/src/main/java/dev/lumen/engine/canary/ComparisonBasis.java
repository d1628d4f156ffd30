package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.MustCatch;
import dev.lumen.engine.Decimals;

/**
 * What the comparisons with stable weigh, as ratios to stable: the tolerance, worse than which a
 * canary is rolled back, and mustCatch, better than which it is promoted.
 *
 * @param tolerance e.g. 0.25
 * @param errorRateMustCatch e.g. 2
 * @param latencyMustCatch e.g. 1.5
 */
public record ComparisonBasis(
    double tolerance, double errorRateMustCatch, double latencyMustCatch) {
  /** Regression sizes a rollback weighs, in a mixture: mustCatch and larger. */
  static final int ALTERNATIVES = 6;

  public static ComparisonBasis of(AnalysisSpec spec) {
    MustCatch mustCatch = spec.mustCatch();
    return new ComparisonBasis(
        Decimals.parse(spec.tolerance()) / 100,
        ratio(mustCatch == null ? null : mustCatch.errorRate(), 2),
        ratio(mustCatch == null ? null : mustCatch.latency(), 1.5));
  }

  /** A ratio of the API, e.g. "1.5x". */
  public static double ratio(String text, double absent) {
    if (text == null || text.isEmpty()) {
      return absent;
    }
    return Decimals.parse(text.endsWith("x") ? text.substring(0, text.length() - 1) : text);
  }

  /** The worst ratio a canary may have and not be rolled back. */
  double tolerated() {
    return 1 + tolerance;
  }

  /** Error-rate ratios weighed for a rollback: mustCatch, twice it, four times, and so on. */
  double[] errorRateWorse() {
    return grid(Math.max(errorRateMustCatch, 1.2 * tolerated()), 2);
  }

  double[] latencyWorse() {
    return grid(Math.max(latencyMustCatch, 1.1 * tolerated()), 1.25);
  }

  /**
   * The canary a promotion is weighed for: between as good as stable and the tolerance, so that a
   * canary anywhere within the tolerance is promoted in time, and below mustCatch.
   */
  double errorRateWithin() {
    return Math.sqrt(Math.min(tolerated(), errorRateMustCatch));
  }

  double latencyWithin() {
    return Math.sqrt(Math.min(tolerated(), latencyMustCatch));
  }

  /** How the status names it: evidence on another basis does not add up with this. */
  public String describe() {
    return "tolerance "
        + Decimals.format(tolerance * 100, 3)
        + " %, mustCatch "
        + Decimals.format(errorRateMustCatch, 3)
        + "x errors, "
        + Decimals.format(latencyMustCatch, 3)
        + "x latency";
  }

  private static double[] grid(double first, double growth) {
    double[] ratios = new double[ALTERNATIVES];
    double ratio = first;
    for (int i = 0; i < ALTERNATIVES; i++) {
      ratios[i] = ratio;
      ratio *= growth;
    }
    return ratios;
  }
}
