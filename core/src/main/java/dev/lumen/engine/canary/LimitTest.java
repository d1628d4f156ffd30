package dev.lumen.engine.canary;

/**
 * Whether a failure rate (errors, unavailable requests, requests slower than a limit) is above its
 * limit, by a test that holds however often it is looked at: the likelihood ratio of "the rate is
 * the limit times 2, 4, 8, ..." (a mixture with weights 1/2, 1/4, ...) against "the rate is the
 * limit". While the true rate is at the limit or below, that ratio is a nonnegative supermartingale
 * over the requests, so by Ville's inequality it ever reaches {@code 1 / falseAlarm} with
 * probability at most {@code falseAlarm}: a canary exactly at its limit is not rolled back more
 * often than that, whatever the traffic and however many minutes it is judged.
 *
 * <p>The counts may be any requests chosen without looking at their outcome (a whole rollout's, a
 * step's): the ratio depends only on the totals, so it needs no memory between looks.
 */
final class LimitTest {
  /**
   * The failing rates weighed are the limit times this, its square, its cube ...: coarse, so that a
   * canary failing several times its limit, which should go fast, finds an alternative near its
   * rate at a small weight's cost.
   */
  private static final double GROWTH = 2;

  private static final int MAX_ALTERNATIVES = 12;

  private LimitTest() {}

  /**
   * @param failed requests that failed
   * @param total requests
   * @param limit the highest acceptable failure rate, 0 to 1
   * @param falseAlarm the highest chance that a rate at the limit is ever found above it
   */
  static boolean exceeds(long failed, long total, double limit, double falseAlarm) {
    if (total == 0 || failed <= limit * total) {
      // The test weighs "above the limit" only; a measured rate within it is never called broken.
      return false;
    }
    if (limit <= 0) {
      return true;
    }
    if (limit >= 1) {
      return false;
    }
    return logMixture(failed, total, limit) >= Math.log(1 / falseAlarm);
  }

  /** The log of the mixture's likelihood ratio. */
  static double logMixture(long failed, long total, double limit) {
    double[] logs = new double[MAX_ALTERNATIVES];
    int n = 0;
    for (double rate = limit * GROWTH; rate < 1 && n < logs.length; rate *= GROWTH) {
      logs[n++] =
          failed * Math.log(rate / limit) + (total - failed) * Math.log((1 - rate) / (1 - limit));
    }
    if (n == 0) {
      // A limit above a half: the only rate worse than it left to weigh is certain failure's edge.
      double rate = (1 + limit) / 2;
      logs[n++] =
          failed * Math.log(rate / limit) + (total - failed) * Math.log((1 - rate) / (1 - limit));
    }
    return Mixtures.logWeightedMean(logs, Mixtures.halving(n), n);
  }
}
