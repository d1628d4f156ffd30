package dev.lumen.engine.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.measure.RequestCounts;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/**
 * The tests' promise, checked by simulation: a canary exactly as bad as allowed, judged every
 * minute for hours, crosses the threshold in at most the budgeted share of rollouts. A test at a
 * fixed confidence repeated every minute fails this by an order of magnitude.
 */
class AnytimeValidityTest {
  private static final int ROLLOUTS = 2_000;

  @Test
  void aRateExactlyAtItsLimitIsFoundBrokenNoMoreOftenThanTheBudget() {
    var random = new SplittableRandom(21);
    double limit = 0.01;
    double budget = 0.01;
    int crossed = 0;
    for (int r = 0; r < ROLLOUTS; r++) {
      long failed = 0;
      long total = 0;
      for (int minute = 0; minute < 120; minute++) {
        failed += binomial(random, 60, limit);
        total += 60;
        if (LimitTest.exceeds(failed, total, limit, budget)) {
          crossed++;
          break;
        }
      }
    }
    assertThat((double) crossed / ROLLOUTS).isLessThanOrEqualTo(budget);
  }

  @Test
  void aCanaryAtTheToleranceIsRolledBackNoMoreOftenThanItsShareOverTheDefaultSteps() {
    var random = new SplittableRandom(22);
    var basis = new ComparisonBasis(0.25, 2, 1.5);
    double stableRate = 0.005;
    double threshold = Math.log(1 / FalseRollbacks.ERROR_RATE_VS_STABLE);
    int[] weights = {5, 10, 50};
    int crossed = 0;
    for (int r = 0; r < ROLLOUTS; r++) {
      Evidence earlier = Evidence.NONE;
      boolean rolledBack = false;
      // Ten minutes at each weight, then the last step held for 90 more: judged every minute.
      for (int step = 0; step < weights.length && !rolledBack; step++) {
        long canaryTotal = 0;
        long canaryErrors = 0;
        long stableTotal = 0;
        long stableErrors = 0;
        int minutes = step == weights.length - 1 ? 100 : 10;
        Evidence atStep = Evidence.NONE;
        for (int minute = 0; minute < minutes; minute++) {
          long canaryRequests = 600L * weights[step] / 100;
          canaryTotal += canaryRequests;
          stableTotal += 600 - canaryRequests;
          canaryErrors += binomial(random, canaryRequests, stableRate * 1.25);
          stableErrors += binomial(random, 600 - canaryRequests, stableRate);
          atStep =
              Evidence.ofStep(
                  basis,
                  Optional.of(
                      new dev.lumen.engine.measure.TrafficWindow(
                          new RequestCounts(canaryTotal, 0, canaryErrors), Optional.empty())),
                  Optional.of(
                      new dev.lumen.engine.measure.TrafficWindow(
                          new RequestCounts(stableTotal, 0, stableErrors), Optional.empty())));
          if (earlier.plus(atStep).errorRateWorse() >= threshold) {
            rolledBack = true;
            break;
          }
        }
        earlier = earlier.plus(atStep);
      }
      if (rolledBack) {
        crossed++;
      }
    }
    assertThat((double) crossed / ROLLOUTS)
        .as("%d of %d rolled back", crossed, ROLLOUTS)
        .isLessThanOrEqualTo(FalseRollbacks.ERROR_RATE_VS_STABLE);
  }

  @Test
  void withADayOfStablesHistoryACanaryAtMustCatchIsPromotedNoMoreOftenThanTheGuarantee() {
    var random = new SplittableRandom(23);
    var basis = new ComparisonBasis(0.25, 2, 1.5);
    double stableRate = 0.005;
    double guarantee = StableHistoryCheck.promotionGuarantee(0.05);
    int[] weights = {5, 10, 50};
    int promoted = 0;
    for (int r = 0; r < ROLLOUTS; r++) {
      long day = 24 * 60 * 600L;
      RequestCounts history = new RequestCounts(day, 0, normal(random, day, stableRate));
      RequestCounts canary = RequestCounts.NONE;
      RequestCounts stable = RequestCounts.NONE;
      boolean done = false;
      // Looked at every minute, the last step held for 90 more: the worst case for a promotion.
      for (int step = 0; step < weights.length && !done; step++) {
        int minutes = step == weights.length - 1 ? 100 : 10;
        for (int minute = 0; minute < minutes; minute++) {
          long canaryRequests = 600L * weights[step] / 100;
          canary =
              canary.plus(
                  new RequestCounts(
                      canaryRequests, 0, binomial(random, canaryRequests, stableRate * 2)));
          stable =
              stable.plus(
                  new RequestCounts(
                      600 - canaryRequests, 0, binomial(random, 600 - canaryRequests, stableRate)));
          if (Evidence.NONE.withPromotionOver(basis, canary, stable.plus(history)).errorRateWithin()
              >= Math.log(1 / guarantee)) {
            done = true;
            break;
          }
        }
      }
      if (done) {
        promoted++;
      }
    }
    assertThat((double) promoted / ROLLOUTS)
        .as("%d of %d promoted", promoted, ROLLOUTS)
        .isLessThanOrEqualTo(guarantee);
  }

  @Test
  void aStableRateThatHasNotChangedSetsItsHistoryAsideNoMoreOftenThanItsShare() {
    var random = new SplittableRandom(24);
    double stableRate = 0.005;
    int setAside = 0;
    for (int r = 0; r < ROLLOUTS; r++) {
      long day = 24 * 60 * 600L;
      RequestCounts history = new RequestCounts(day, 0, normal(random, day, stableRate));
      RequestCounts during = RequestCounts.NONE;
      for (int minute = 0; minute < 120; minute++) {
        during = during.plus(new RequestCounts(500, 0, binomial(random, 500, stableRate)));
        if (StableHistoryCheck.differs(during, history, 0.05)) {
          setAside++;
          break;
        }
      }
    }
    assertThat((double) setAside / ROLLOUTS)
        .as("%d of %d set aside", setAside, ROLLOUTS)
        .isLessThanOrEqualTo(FalseRollbacks.STABLE_HISTORY);
  }

  /** A binomial count too large to draw exactly, by its normal approximation. */
  private static long normal(SplittableRandom random, long n, double p) {
    double mean = n * p;
    double gaussian =
        Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
            * Math.cos(2 * Math.PI * random.nextDouble());
    return Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian));
  }

  private static long binomial(SplittableRandom random, long n, double p) {
    return n == 0
        ? 0
        : BinomialDistribution.of((int) n, p).inverseCumulativeProbability(random.nextDouble());
  }
}
