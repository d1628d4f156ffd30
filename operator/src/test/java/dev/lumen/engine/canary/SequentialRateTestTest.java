package dev.lumen.engine.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.observe.RequestCounts;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialRateTestTest {
  private static final double LIMIT = 0.01;
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
    assertThat(flagged / 2_000.0).isLessThanOrEqualTo(SequentialRateTest.FALSE_ALARM);
    assertThat(flaggedByFixedConfidence / 2_000.0).isGreaterThan(0.02);
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
  void aCanaryFailingAtTheLimitIsFlaggedWithinAboutThreeThousandRequests() {
    // 1 % against stable's 0.5 %: the hardest breach to find. Wald's test that knows the rate
    // needs ln(400) / 0.00194 = 3,090 requests on average; the mixture's first component has half
    // its weight, ln 2 more, about 3,440 (with equal weights over seven components, ln 7: 4,090).
    var random = new Random(13);
    long sum = 0;
    int runs = 200;
    for (int run = 0; run < runs; run++) {
      long total = 0;
      long errors = 0;
      while (!exceeds(new RequestCounts(total, 0, errors))) {
        total += 30;
        for (int i = 0; i < 30; i++) {
          errors += random.nextDouble() < 0.01 ? 1 : 0;
        }
      }
      sum += total;
    }
    assertThat(sum / runs).isBetween(3_000L, 3_800L);
  }

  @Test
  void aPerfectStableDoesNotTurnTwoErrorsIntoABreach() {
    var perfect = Optional.of(new RequestCounts(100_000, 0, 0));
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(100, 0, 2), perfect, RequestCounts::serverErrors, LIMIT))
        .isFalse();
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(100, 0, 10), perfect, RequestCounts::serverErrors, LIMIT))
        .isTrue();
  }

  @Test
  void limitsAtTheEdgesAreExact() {
    var one = new RequestCounts(1_000, 0, 1);
    assertThat(SequentialRateTest.exceeds(one, Optional.empty(), RequestCounts::serverErrors, 0))
        .isTrue();
    assertThat(
            SequentialRateTest.exceeds(
                new RequestCounts(10, 0, 10), Optional.empty(), RequestCounts::serverErrors, 1))
        .isFalse();
  }

  private static boolean exceeds(RequestCounts canary) {
    return SequentialRateTest.exceeds(
        canary, Optional.of(STABLE), RequestCounts::serverErrors, LIMIT);
  }
}
