package dev.lumen.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.FreezeWhen;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.api.v1alpha1.HealthStatus.Grade;
import dev.lumen.api.v1alpha1.MaturityGate;
import dev.lumen.api.v1alpha1.PricesSpec;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.engine.measure.CacheCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatesTest {
  static RoiGate roi(String cost, String savings) {
    return new RoiGate(cost, savings, null, "500", "300", null);
  }

  @Test
  void roiOfTheWorkedExampleIs2036Point75Percent() {
    var result = RoiCalculator.gate(roi("9.36", "200"), Optional.empty(), Duration.ZERO);

    assertThat(result.value().orElseThrow()).isCloseTo(2036.752136752, within(1e-6));
    assertThat(result.toStatus().value()).isEqualTo("2036.75");
    assertThat(result.result()).isEqualTo(Result.Pass);
  }

  @ParameterizedTest(name = "savings {0} on cost 10 -> ROI {1} % -> {2}")
  @CsvSource({
    "60.0, 500, Pass",
    "59.99, 499.9, Warn",
    "40.0, 300, Warn",
    "39.99, 299.9, Fail",
    "5, -50, Fail"
  })
  void roiBands(String savings, double roiPercent, Result expected) {
    var result = RoiCalculator.gate(roi("10", savings), Optional.empty(), Duration.ZERO);

    assertThat(result.value().orElseThrow()).isCloseTo(roiPercent, within(1e-9));
    assertThat(result.result()).isEqualTo(expected);
  }

  @Test
  void roiFromMeasuredHitsScalesTheWindowToAMonth() {
    var gate = new RoiGate("10", null, "0.02", "500", "300", null);
    // 100,000 hits in a day -> 3,000,000 a month x 0.02 per 1000 = 60 a month -> ROI 500 %.
    var result =
        RoiCalculator.gate(gate, Optional.of(new CacheCounts(100_000, 5_000)), Duration.ofDays(1));

    assertThat(result.value().orElseThrow()).isCloseTo(500, within(1e-9));
    assertThat(RoiCalculator.gate(gate, Optional.empty(), Duration.ofDays(1)).result())
        .isEqualTo(Result.Unknown);
  }

  static final BudgetGate BUDGET =
      new BudgetGate("200", "USD", List.of("80", "90", "100"), null, null, null);
  // 1 vCPU, 0.5 GiB: 0.00002525 per instance second.
  static final Instant MID_NOVEMBER = Instant.parse("2026-11-16T00:00:00Z");

  @ParameterizedTest(name = "{0} instance-seconds + {1} requests -> {2} % used -> {3}")
  @CsvSource({
    "7920792.08, 0, 100.0, Fail, 80|90|100",
    "7128712.88, 0, 90.0, Warn, 80|90",
    "3168316.83, 0, 40.0, Pass, ''",
    "2376237.62, 0, 30.0, Pass, ''",
    "0, 100000000, 20.0, Pass, ''"
  })
  void budgetFromInstanceTimeAndRequests(
      double instanceSeconds, long requests, double used, Result expected, String crossed) {
    var usage = new CostUsage(instanceSeconds, requests, 1, 0.5);

    var budget =
        BudgetEvaluation.evaluate(
            BUDGET, usage, Pricing.REQUEST_BASED, Optional.empty(), MID_NOVEMBER);

    assertThat(budget.usedPercent()).isCloseTo(used, within(0.01));
    assertThat(budget.gate().result()).isEqualTo(expected);
    assertThat(String.join("|", budget.crossedThresholds())).isEqualTo(crossed);
  }

  @Test
  void eachBillingModeHasItsListPricesAndAGateMayOverrideThem() {
    // 1,000,000 instance-seconds of 1 vCPU and 0.5 GiB, 10 million requests.
    var usage = new CostUsage(1_000_000, 10_000_000, 1, 0.5);
    var instanceBased =
        new BudgetGate("200", "USD", List.of("100"), null, BudgetGate.Billing.InstanceBased, null);
    var discounted =
        new BudgetGate(
            "200",
            "USD",
            List.of("100"),
            null,
            BudgetGate.Billing.RequestBased,
            new PricesSpec("0.00002", null, "0"));

    assertThat(usage.spend(Pricing.of(BUDGET)))
        .as("request-based: 24 + 1.25 USD of instance time, 4 USD of requests")
        .isCloseTo(29.25, within(1e-9));
    assertThat(usage.spend(Pricing.of(instanceBased)))
        .as("instance-based: 18 + 1 USD, no request fee")
        .isCloseTo(19.0, within(1e-9));
    assertThat(usage.spend(Pricing.of(discounted))).isCloseTo(21.25, within(1e-9));
  }

  @Test
  void theCachesOwnMonthlyCostCountsProRata() {
    var none = new CostUsage(0, 0, 1, 0.5);

    var budget =
        BudgetEvaluation.evaluate(
            BUDGET, none, Pricing.REQUEST_BASED, Optional.of(60.0), MID_NOVEMBER);

    assertThat(budget.spend()).as("half of November: half of 60").isCloseTo(30, within(1e-9));
  }

  @Test
  void forecastExtrapolatesTheMonthToDateRateAndIsEmptyInTheFirstHour() {
    var usage = new CostUsage(0, 100_000_000, 1, 0.5); // 40 USD of requests
    var halfWay =
        BudgetEvaluation.evaluate(
            BUDGET, usage, Pricing.REQUEST_BASED, Optional.empty(), MID_NOVEMBER);
    var firstMinutes =
        BudgetEvaluation.evaluate(
            BUDGET,
            usage,
            Pricing.REQUEST_BASED,
            Optional.empty(),
            Instant.parse("2026-11-01T00:30:00Z"));

    assertThat(halfWay.month().toString()).isEqualTo("2026-11");
    assertThat(halfWay.forecast().orElseThrow()).isCloseTo(80, within(1e-9));
    assertThat(firstMinutes.forecast()).isEmpty();
  }

  @Test
  void maturityIsTheMeanOfTheMeasureScoresMappedToLevels() {
    var inputs =
        new MaturityScore.Inputs(
            Optional.of(1.0), // 50
            Optional.of(200.0), // 75
            Optional.of(0.1), // 90
            Optional.of(99.5), // 80
            Optional.of(80.0), // 80
            Optional.of(0.1)); // 50

    var maturity = MaturityScore.of(inputs).orElseThrow();

    assertThat(maturity.score()).isCloseTo(70.8333, within(1e-3));
    assertThat(maturity.level()).isEqualTo(4);
    assertThat(maturity.levelName()).isEqualTo("Quantitatively Managed");
    assertThat(maturity.measures())
        .as("each measure with its value and score, for status")
        .extracting(MaturityScore.Measure::name, m -> Math.round(m.score() * 1000) / 1000.0)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("deploysPerWeek", 50.0),
            org.assertj.core.groups.Tuple.tuple("meanLatencyMillis", 75.0),
            org.assertj.core.groups.Tuple.tuple("errorRatePercent", 90.0),
            org.assertj.core.groups.Tuple.tuple("availabilityPercent", 80.0),
            org.assertj.core.groups.Tuple.tuple("cacheHitRatePercent", 80.0),
            org.assertj.core.groups.Tuple.tuple("costPerThousandRequests", 50.0));
    assertThat(
            MaturityScore.gate(new MaturityGate("50", GateAction.Block), Optional.of(maturity))
                .result())
        .isEqualTo(Result.Pass);
    assertThat(
            MaturityScore.gate(new MaturityGate("75", GateAction.Block), Optional.of(maturity))
                .result())
        .isEqualTo(Result.Fail);
  }

  @ParameterizedTest(name = "score {0} -> level {1}")
  @CsvSource({"0, 1", "19.99, 1", "20, 2", "59.9, 3", "60, 4", "79.99, 4", "80, 5", "100, 5"})
  void maturityLevelBands(double score, int level) {
    assertThat(MaturityScore.levelOf(score)).isEqualTo(level);
  }

  @Test
  void halfBudgetSpentAtMidMonthWarnsBecauseTheForecastExceedsTheBudget() {
    var budget =
        BudgetEvaluation.evaluate(
            BUDGET,
            new CostUsage(3960396.04, 0, 1, 0.5),
            Pricing.REQUEST_BASED,
            Optional.empty(),
            Instant.parse("2026-11-10T00:00:00Z"));

    assertThat(budget.forecast().orElseThrow()).isGreaterThan(200);
    assertThat(budget.gate().result()).isEqualTo(Result.Warn);
  }

  @Test
  void maturityNeedsThreeMeasures() {
    var two =
        new MaturityScore.Inputs(
            Optional.of(3.0),
            Optional.of(150.0),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThat(MaturityScore.of(two)).isEmpty();
    assertThat(
            MaturityScore.gate(new MaturityGate("50", GateAction.Block), Optional.empty()).result())
        .isEqualTo(Result.Unknown);
  }

  @ParameterizedTest(name = "maturity {0}, ROI {1} %, compliance {2} % -> {3} {4}")
  @CsvSource({
    "100, 500, 100, 100, Excellent",
    "90, 2036.75, 90, 93, Excellent",
    "70, 300, 75, 69, Fair",
    "70, 350, 75, 72, Good",
    "50, 100, 50, 41, Poor",
    "80, -20, 100, 64, Fair"
  })
  void healthWeights30Maturity30Roi40Slo(
      double maturity, double roi, double compliance, double score, Grade grade) {
    var health =
        Health.of(Optional.of(maturity), Optional.of(roi), Optional.of(compliance)).orElseThrow();

    assertThat(health.score()).isCloseTo(score, within(1e-9));
    assertThat(health.grade()).isEqualTo(grade);
  }

  @ParameterizedTest(name = "score {0} -> {1}")
  @CsvSource({"90, Excellent", "89.99, Good", "70, Good", "69.99, Fair", "50, Fair", "49.99, Poor"})
  void healthGradeBoundaries(double score, Grade grade) {
    assertThat(Health.grade(score)).isEqualTo(grade);
  }

  @Test
  void healthLeavesOutMissingComponents() {
    var onlySlo = Health.of(Optional.empty(), Optional.empty(), Optional.of(75.0)).orElseThrow();

    assertThat(onlySlo.score()).isEqualTo(75.0);
    assertThat(Health.of(Optional.empty(), Optional.empty(), Optional.empty())).isEmpty();
  }

  @ParameterizedTest(name = "failOn {0}, states {1} -> {2}")
  @CsvSource({
    "Critical, Healthy|Healthy, Pass",
    "Critical, Healthy|Warning, Warn",
    "Critical, Warning|Critical, Fail",
    "Warning, Healthy|Warning, Fail",
    "Critical, Healthy|NoData, Unknown",
    "Critical, Critical|NoData, Fail"
  })
  void sloGate(SloGate.FailOn failOn, String states, Result expected) {
    String[] s = states.split("\\|");
    var result =
        SloGateEvaluator.evaluate(
            new SloGate(failOn, GateAction.Block, null),
            List.of("a", "b"),
            Map.of("a", SloState.valueOf(s[0]), "b", SloState.valueOf(s[1])));

    assertThat(result.result()).isEqualTo(expected);
  }

  @Test
  void theErrorBudgetPolicyFreezesOnTheSloTargetsOwnFigures() {
    var freeze =
        new SloGate(
            SloGate.FailOn.Critical,
            GateAction.Block,
            new FreezeWhen("0", FreezeWhen.BurnSeverity.Page));
    var healthy = Map.of("checkout", SloState.Healthy);
    var spent =
        new ErrorBudgets(
            Optional.of(new ErrorBudgets.BudgetLeft("availability", -12.0)), Optional.empty());
    var paging =
        new ErrorBudgets(
            Optional.of(new ErrorBudgets.BudgetLeft("availability", 40.0)),
            Optional.of(new ErrorBudgets.Burn("availability", "Page", "1h", "5m", "14.4")));
    var ticketing =
        new ErrorBudgets(
            Optional.of(new ErrorBudgets.BudgetLeft("availability", 40.0)),
            Optional.of(new ErrorBudgets.Burn("availability", "Ticket", "6h", "30m", "6.1")));

    var frozen =
        SloGateEvaluator.evaluate(freeze, List.of("checkout"), healthy, Map.of("checkout", spent));
    assertThat(frozen.result()).isEqualTo(Result.Fail);
    assertThat(frozen.message())
        .isEqualTo(
            "SLOTarget checkout: error budget remaining -12 % (objective availability) is below"
                + " 0 %: releases frozen until it recovers (gates.slo.freezeWhen)");
    assertThat(
            SloGateEvaluator.evaluate(
                    freeze, List.of("checkout"), healthy, Map.of("checkout", paging))
                .message())
        .startsWith(
            "SLOTarget checkout: objective availability burns its error budget 14.4x over"
                + " 1h and 5m (Page)");
    assertThat(
            SloGateEvaluator.evaluate(
                    freeze, List.of("checkout"), healthy, Map.of("checkout", ticketing))
                .result())
        .as("a ticket-level burn does not freeze on burnRate: Page")
        .isEqualTo(Result.Pass);
    assertThat(
            SloGateEvaluator.evaluate(
                    new SloGate(SloGate.FailOn.Critical, GateAction.Block, null),
                    List.of("checkout"),
                    healthy,
                    Map.of("checkout", spent))
                .result())
        .as("without freezeWhen only the state counts")
        .isEqualTo(Result.Pass);
  }
}
