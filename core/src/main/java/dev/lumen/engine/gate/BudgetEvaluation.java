package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.engine.Decimals;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spend of the current month against the budget.
 *
 * @param month the calendar month (UTC) the figures are for
 * @param spend month-to-date spend
 * @param forecast spend at the month's end at the month-to-date rate; empty in the month's first
 *     hour, when a rate would be noise
 * @param usedPercent spend in percent of the budget
 * @param crossedThresholds thresholds (as written in the spec) that spend has reached this month
 */
public record BudgetEvaluation(
    YearMonth month,
    double spend,
    Optional<Double> forecast,
    double usedPercent,
    List<String> crossedThresholds,
    GateResult gate) {
  public static final String GATE = "budget";

  /**
   * @param cacheMonthlyCost what the cache itself costs a month, counted pro rata over the month
   */
  public static BudgetEvaluation evaluate(
      BudgetGate budget,
      CostUsage usage,
      Pricing pricing,
      Optional<Double> cacheMonthlyCost,
      Instant now) {
    YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
    Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Duration elapsed = Duration.between(start, now);
    double monthly = Decimals.parse(budget.monthly());
    double monthShare = (double) elapsed.toSeconds() / Duration.between(start, end).toSeconds();
    double spend = usage.spend(pricing) + cacheMonthlyCost.orElse(0.0) * monthShare;
    Optional<Double> forecast =
        elapsed.compareTo(Duration.ofHours(1)) < 0
            ? Optional.empty()
            : Optional.of(spend * Duration.between(start, end).toSeconds() / elapsed.toSeconds());
    double used = 100 * spend / monthly;
    List<String> crossed = new ArrayList<>();
    for (String threshold : budget.thresholds()) {
      if (used >= Decimals.parse(threshold)) {
        crossed.add(threshold);
      }
    }
    String figures =
        "spend "
            + Decimals.format(spend, 2)
            + " "
            + budget.currency()
            + " is "
            + Decimals.format(used, 1)
            + " % of the monthly "
            + budget.monthly()
            + forecast.map(f -> "; forecast " + Decimals.format(f, 2)).orElse("");
    Result result;
    if (used >= 100) {
      result = Result.Fail;
    } else if (!crossed.isEmpty() || forecast.map(f -> f > monthly).orElse(false)) {
      result = Result.Warn;
    } else {
      result = Result.Pass;
    }
    return new BudgetEvaluation(
        month,
        spend,
        forecast,
        used,
        crossed,
        new GateResult(GATE, result, Optional.of(used), figures));
  }
}
