package dev.lumen.engine.slo;

import java.util.List;
import java.util.Optional;

/**
 * One objective, measured.
 *
 * @param current the SLI over the compliance window in the objective's unit (percent, or
 *     milliseconds for latency, or the query's unit); empty without data
 * @param target the bound it is compared with, as written in the spec
 * @param met whether the objective is met; empty without data
 * @param budgetRemaining share of the error budget left, 1 = untouched, negative = overspent; empty
 *     for custom objectives and without data
 * @param burnRates the burn-rate pairs; empty for custom objectives
 */
public record ObjectiveResult(
    String name,
    String unit,
    Optional<Double> current,
    String target,
    Optional<Boolean> met,
    Optional<Double> budgetRemaining,
    List<BurnRate> burnRates) {

  /** A burn-rate pair measured; a rate is empty when its window had no data. */
  public record BurnRate(
      BurnRatePair pair, Optional<Double> longRate, Optional<Double> shortRate, double threshold) {
    /** Both windows burn faster than the threshold. Missing data never fires. */
    public boolean firing() {
      return longRate.isPresent()
          && shortRate.isPresent()
          && longRate.get() > threshold
          && shortRate.get() > threshold;
    }
  }

  public boolean hasData() {
    return met.isPresent();
  }
}
