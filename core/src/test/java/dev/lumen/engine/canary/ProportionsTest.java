package dev.lumen.engine.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProportionsTest {
  @ParameterizedTest(name = "canary {0}/{1}, stable {2}/{3}, ratio {4}")
  @CsvSource({
    "6, 336, 0, 336, 1.25",
    "13, 1210, 2, 1200, 1.25",
    "30, 3000, 15, 3000, 1.25",
    "1, 100, 40, 5000, 1",
  })
  void theConditionalTestIsTheBinomialTestOfTheCanarysShareOfAllFailures(
      long canaryErrors, long canaryN, long stableErrors, long stableN, double ratio) {
    double share = canaryN * ratio / (canaryN * ratio + stableN);
    double reference =
        BinomialTest.withDefaults()
            .with(AlternativeHypothesis.GREATER_THAN)
            .test((int) (canaryErrors + stableErrors), (int) canaryErrors, share)
            .getPValue();

    assertThat(
            Proportions.conditionalPValueAbove(canaryErrors, canaryN, stableErrors, stableN, ratio))
        .isCloseTo(reference, within(1e-12));
  }

  @ParameterizedTest(name = "canary {0}/{1}, stable {2}/{3}")
  @CsvSource({"6, 336, 0, 336", "7, 400, 0, 400"})
  void aStableThatFailedNothingDoesNotMakeAFewCanaryErrorsSignificant(
      long canaryErrors, long canaryN, long stableErrors, long stableN) {
    // The first is a healthy canary's false rollback in the decision-quality benchmark (0.5 %
    // errors for both, 1.7 expected each). With stable's variance estimated as zero, the normal
    // approximation calls both significant at a quarter of 5 %; the exact test does not.
    double stableRate = (double) stableErrors / stableN;
    double approximate = Proportions.pValueAbove(canaryErrors, canaryN, 0.001, stableRate, stableN);
    double exact =
        Proportions.conditionalPValueAbove(canaryErrors, canaryN, stableErrors, stableN, 1.25);

    assertThat(approximate).isLessThan(0.0125);
    assertThat(exact).isGreaterThan(0.0125);
  }
}
