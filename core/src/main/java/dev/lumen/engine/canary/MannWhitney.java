package dev.lumen.engine.canary;

import dev.lumen.engine.measure.LatencyDistribution;

/**
 * The Mann-Whitney U test on two latency histograms with the same buckets: requests in the same
 * bucket are ties. Counts go into the millions, so the statistic is computed from the bucket counts
 * rather than from expanded samples; the p-value uses the normal approximation with the tie
 * correction, which is accurate at the sample sizes an analysis needs.
 */
final class MannWhitney {
  private MannWhitney() {}

  /** One-sided p-value for "the canary is slower than stable". */
  static double pValueCanarySlower(LatencyDistribution canary, LatencyDistribution stable) {
    long[] c = canary.counts();
    long[] s = stable.counts();
    double n1 = canary.total();
    double n2 = stable.total();
    double n = n1 + n2;
    // U counts (canary, stable) pairs where the canary request was slower; ties count half.
    double u = 0;
    double stableBelow = 0;
    double ties = 0;
    for (int i = 0; i < c.length; i++) {
      u += c[i] * (stableBelow + s[i] / 2.0);
      stableBelow += s[i];
      double t = c[i] + s[i];
      ties += t * t * t - t;
    }
    double variance = n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1)));
    if (variance <= 0) {
      return 1;
    }
    double z = (u - n1 * n2 / 2.0 - 0.5) / Math.sqrt(variance);
    return Proportions.pValue(z);
  }
}
