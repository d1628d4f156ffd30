package dev.lumen.engine.canary;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/** Confidence bounds and tests for proportions such as error rates. */
final class Proportions {
  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

  private Proportions() {}

  /** The z value a one-sided test at {@code confidence} (e.g. 0.95) must exceed. */
  static double z(double confidence) {
    return STANDARD_NORMAL.inverseCumulativeProbability(confidence);
  }

  /** One-sided p-value of a z statistic (the chance of a z this high under the null). */
  static double pValue(double z) {
    return STANDARD_NORMAL.survivalProbability(z);
  }

  /** Lower Wilson score bound of a proportion {@code events / n}. */
  static double wilsonLower(long events, long n, double z) {
    return wilson(events, n, z, -1);
  }

  /** Upper Wilson score bound of a proportion {@code events / n}. */
  static double wilsonUpper(long events, long n, double z) {
    return wilson(events, n, z, +1);
  }

  private static double wilson(long events, long n, double z, int sign) {
    double p = (double) events / n;
    double z2 = z * z;
    double center = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return Math.max(0, Math.min(1, center + sign * half));
  }

  /**
   * One-sided p-value for "the canary fails more than {@code ratio} times as often as stable",
   * exact for rare failures: given the failures of both together, the canary's share of them is
   * binomial with the share its requests would have at that ratio (the conditional test of two
   * Poisson rates). It needs no estimate of stable's rate, so a stable that happened to fail
   * nothing in the window does not make every canary failure look significant, as the normal
   * approximation does.
   */
  static double conditionalPValueAbove(
      long canaryEvents, long canaryN, long stableEvents, long stableN, double ratio) {
    long events = canaryEvents + stableEvents;
    if (canaryEvents == 0 || events > Integer.MAX_VALUE) {
      return 1;
    }
    double canaryShare = canaryN * ratio / (canaryN * ratio + stableN);
    return BinomialDistribution.of((int) events, canaryShare)
        .survivalProbability((int) canaryEvents - 1);
  }

  /**
   * One-sided p-value for "the canary's proportion exceeds {@code allowed}", by a Wald test on the
   * difference. 1 when the canary's estimate does not exceed it.
   */
  static double pValueAbove(
      long canaryEvents, long canaryN, double allowed, double stableP, long stableN) {
    double pc = (double) canaryEvents / canaryN;
    if (pc <= allowed) {
      return 1;
    }
    double variance = pc * (1 - pc) / canaryN + stableP * (1 - stableP) / stableN;
    if (variance <= 0) {
      return 0;
    }
    return pValue((pc - allowed) / Math.sqrt(variance));
  }
}
