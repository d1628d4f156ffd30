package dev.lumen.engine.canary;

/**
 * The conditional test of two failure rates: given how many requests of canary and stable failed
 * together, the canary's share of those failures tells how much more often it fails, with no need
 * to know stable's rate. If the canary fails {@code ratio} times as often as stable, each failure
 * is the canary's with chance {@code ratio × canary requests / (ratio × canary requests + stable
 * requests)} (exact for rare failures, as Poisson counts).
 */
final class RateRatio {
  private RateRatio() {}

  /**
   * The log likelihood ratio of "the canary fails {@code ratio1} times as often as stable" against
   * {@code ratio0} times, on the counts of one traffic split. Above 0 the counts favour {@code
   * ratio1}. For {@code ratio1 > ratio0} it is a supermartingale while the canary fails at most
   * {@code ratio0} times as often (and the other way round), so its sums over steps feed tests that
   * hold at every look.
   */
  static double logLikelihoodRatio(
      long canaryFailed,
      long canaryTotal,
      long stableFailed,
      long stableTotal,
      double ratio1,
      double ratio0) {
    if (canaryTotal == 0 || stableTotal == 0 || canaryFailed + stableFailed == 0) {
      return 0;
    }
    double share1 = share(canaryTotal, stableTotal, ratio1);
    double share0 = share(canaryTotal, stableTotal, ratio0);
    return canaryFailed * Math.log(share1 / share0)
        + stableFailed * Math.log((1 - share1) / (1 - share0));
  }

  private static double share(long canaryTotal, long stableTotal, double ratio) {
    double weighted = ratio * canaryTotal;
    return weighted / (weighted + stableTotal);
  }
}
