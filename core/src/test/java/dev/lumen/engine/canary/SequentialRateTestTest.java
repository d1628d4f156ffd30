package dev.lumen.engine.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.measure.RequestCounts;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialRateTestTest {
  private static final double LIMIT = 0.01;
  private static final double PER_STEP = SequentialRateTest.PER_STEP_FALSE_ALARM;
  private static final RequestCounts STABLE = new RequestCounts(100_000, 0, 500);

  @Test
  void aCanaryAsGoodAsStableLookedAtEveryMinuteIsRarelyFlagged() {
    // 2,000 healthy canaries (0.5 % errors, as stable) at 30 requests a minute, looked at every
    // minute for 60 minutes: the growing window is what fooled a fixed-confidence test.
    var random = new Random(7);
    int flagged = 0;
    int flaggedByFixedConfidence = 0;
    for (int run = 0; run < 2_000; run++) {
      long total = 0;
      long errors = 0;
      boolean seen = false;
      boolean seenFixed = false;
      for (int minute = 0; minute < 60; minute++) {
        for (int i = 0; i < 30; i++) {
          total++;
          errors += random.nextDouble() < 0.005 ? 1 : 0;
        }
        var canary = new RequestCounts(total, 0, errors);
        seen |= exceeds(canary);
        seenFixed |= total >= 100 && Proportions.wilsonLower(errors, total, 1.645) > LIMIT;
      }
      flagged += seen ? 1 : 0;
      flaggedByFixedConfidence += seenFixed ? 1 : 0;
    }
    assertThat(flagged / 2_000.0).isLessThanOrEqualTo(PER_STEP);
    assertThat(flaggedByFixedConfidence / 2_000.0).isGreaterThan(0.02);
  }

  @Test
  void aHealthyCanaryWeighedOverTheWholeRolloutIsFlaggedAtMostOnceInAHundred() {
    // The triggers' view: one growing window over a rollout of 5 %, 10 % and 50 % of 10 requests
    // a second for 10 minutes each, then 30 more minutes at 50 %, looked at every minute.
    var random = new Random(17);
    int[] perMinute = new int[60];
    for (int minute = 0; minute < 60; minute++) {
      perMinute[minute] = minute < 10 ? 30 : minute < 20 ? 60 : 300;
    }
    int flagged = 0;
    int runs = 2_000;
    for (int run = 0; run < runs; run++) {
      long total = 0;
      long errors = 0;
      boolean seen = false;
      for (int requests : perMinute) {
        for (int i = 0; i < requests; i++) {
          total++;
          errors += random.nextDouble() < 0.005 ? 1 : 0;
        }
        seen |=
            SequentialRateTest.exceeds(
                new RequestCounts(total, 0, errors),
                Optional.of(STABLE),
                RequestCounts::serverErrors,
                LIMIT,
                SequentialRateTest.PER_ROLLOUT_FALSE_ALARM);
      }
      flagged += seen ? 1 : 0;
    }
    assertThat(flagged / (double) runs)
        .isLessThanOrEqualTo(SequentialRateTest.PER_ROLLOUT_FALSE_ALARM);
  }

  @Test
  void aCanaryFailingAtFiveTimesStablesRateIsFlaggedWithinAFewHundredRequests() {
    var random = new Random(11);
    long total = 0;
    long errors = 0;
    while (!exceeds(new RequestCounts(total, 0, errors))) {
      total++;
      errors += random.nextDouble() < 0.025 ? 1 : 0;
    }
    assertThat(total).isBetween(100L, 1_000L);
  }

  @Test
  void aCanaryJustOverTheLimitIsFlaggedWithinAboutTwoThousandRequests() {
    // 1.25 % against stable's 0.5 %, with a 1 % limit. The mixture's first component, the limit,
    // has half the weight: ln(800) / 0.00369 = 1,810 requests on average; with equal weights over
    // seven components it would be ln(2,800) / 0.00369 = 2,150.
    var random = new Random(13);
    long sum = 0;
    int runs = 400;
    for (int run = 0; run < runs; run++) {
      long total = 0;
      long errors = 0;
      while (!exceeds(new RequestCounts(total, 0, errors))) {
        total += 30;
        for (int i = 0; i < 30; i++) {
          errors += random.nextDouble() < 0.0125 ? 1 : 0;
        }
      }
      sum += total;
    }
    assertThat(sum / runs).isBetween(1_500L, 2_050L);
  }

  @Test
  void aCanaryMeasuredWithinTheLimitIsNeverOverIt() {
    // 1 % exactly, 300 failures in 30,000: far more likely at the limit than at stable's 0.5 %,
    // but not above the limit.
    assertThat(exceeds(new RequestCounts(30_000, 0, 300))).isFalse();
    assertThat(exceeds(new RequestCounts(30_000, 0, 360))).isTrue();
  }

  @Test
  void aPerfectStableDoesNotTurnTwoErrorsIntoABreach() {
    var perfect = Optional.of(new RequestCounts(100_000, 0, 0));
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(100, 0, 2),
                perfect,
                RequestCounts::serverErrors,
                LIMIT,
                PER_STEP))
        .isFalse();
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(100, 0, 10),
                perfect,
                RequestCounts::serverErrors,
                LIMIT,
                PER_STEP))
        .isTrue();
  }

  @Test
  void limitsAtTheEdgesAreExact() {
    var one = new RequestCounts(1_000, 0, 1);
    assertThat(
            SequentialRateTest.exceeds(
                one, Optional.empty(), RequestCounts::serverErrors, 0, PER_STEP))
        .isTrue();
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(10, 0, 10),
                Optional.empty(),
                RequestCounts::serverErrors,
                1,
                PER_STEP))
        .isFalse();
  }

  private static boolean exceeds(RequestCounts canary) {
    return SequentialRateTest.exceeds(
        canary, Optional.of(STABLE), RequestCounts::serverErrors, LIMIT, PER_STEP);
  }
}
