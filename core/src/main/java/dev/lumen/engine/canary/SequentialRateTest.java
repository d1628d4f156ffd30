package dev.lumen.engine.canary;

import dev.lumen.engine.measure.RequestCounts;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Whether a canary's failure rate (errors, or unavailable requests) is above a limit, by Wald's
 * sequential probability ratio test: its failures weigh the hypothesis that it fails at the limit
 * or above (a mixture of the limit times 1, 2, 4, ...) against the hypothesis that it fails as the
 * stable revision does, and the limit counts as broken once the likelihood ratio reaches {@code 1 /
 * falseAlarm}.
 *
 * <p>Lumen looks at the same growing window every minute. A fixed-confidence test re-run that often
 * is fooled sooner or later: at one request a second, one healthy canary in ten was rolled back.
 * The likelihood ratio is a martingale while the canary fails no more often than the healthy rate,
 * so however often it is looked at, a healthy canary reaches the threshold with probability at most
 * {@code falseAlarm} over the requests it is given (Ville's inequality). The healthy rate is the
 * stable revision's upper confidence bound, so a stable that was lucky in the window does not make
 * the canary look worse than it is; it is kept between a tenth and half of the limit, so that a
 * perfect stable does not turn two failures into a rollback and a stable near the limit still
 * leaves room to tell.
 */
final class SequentialRateTest {
  /** For the analysis, which starts over with each step: its checks fail at most this per step. */
  static final double PER_STEP_FALSE_ALARM = 0.0025;

  /**
   * For the rollback triggers, which weigh the whole rollout: the same budget as four steps of the
   * analysis, spent once.
   */
  static final double PER_ROLLOUT_FALSE_ALARM = 0.01;

  /** Confidence of the stable's upper bound: 97.5 % one-sided. */
  private static final double STABLE_Z = 1.96;

  private SequentialRateTest() {}

  /** Stable's requests when there are enough of them to say what healthy is. */
  static Optional<RequestCounts> comparable(Optional<RequestCounts> stable, int minRequests) {
    return stable.filter(s -> s.total() >= Math.max(1, minRequests));
  }

  /**
   * @param failures which requests count as failed: errors, or 5xx for availability
   * @param limit the highest acceptable failure rate, 0 to 1
   * @param stable the stable revision's requests over the same window, when there are enough
   * @param falseAlarm the highest chance that a canary as good as stable is ever found over the
   *     limit on these requests, however often it is looked at
   */
  static boolean exceeds(
      RequestCounts canary,
      Optional<RequestCounts> stable,
      ToLongFunction<RequestCounts> failures,
      double limit,
      double falseAlarm) {
    long failed = failures.applyAsLong(canary);
    if (limit <= 0) {
      return failed > 0;
    }
    // The test tells "at the limit" from "as stable": a canary between the two, nearer the limit,
    // would reach the threshold too, given enough requests. A limit is broken only when the
    // measured rate is above it as well, as the message says.
    if (limit >= 1 || failed <= limit * canary.total()) {
      return false;
    }
    double healthy =
        stable
            .map(s -> Proportions.wilsonUpper(failures.applyAsLong(s), s.total(), STABLE_Z))
            .map(rate -> Math.min(limit / 2, Math.max(limit / 10, rate)))
            .orElse(limit / 2);
    // "At the limit" alone weighs each failure at ln(limit / healthy), so a canary failing far
    // above the limit would need as many requests as one just above it. The alternative is a
    // mixture of the limit times 1, 2, 4, ... with weights 1/2, 1/4, 1/8, ...: still a martingale
    // while the canary is healthy, so the same threshold holds. Halving the weights spends the
    // mixture's cost where requests are dear: a canary just above the limit pays ln 2 of evidence
    // for not knowing its rate, one far above it pays more but finds its evidence in a few
    // failures.
    double sum = 0;
    double weight = 1;
    double weights = 0;
    for (double failing = limit; failing < 1; failing *= 2) {
      weight /= 2;
      double logLikelihoodRatio =
          failed * Math.log(failing / healthy)
              + (canary.total() - failed) * Math.log((1 - failing) / (1 - healthy));
      sum += weight * Math.exp(Math.min(700, logLikelihoodRatio));
      weights += weight;
    }
    return Math.log(sum / weights) >= Math.log(1 / falseAlarm);
  }
}
