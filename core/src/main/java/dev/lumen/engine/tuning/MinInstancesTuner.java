package dev.lumen.engine.tuning;

import dev.lumen.api.v1alpha1.MinInstancesTuning;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import java.time.Instant;
import java.util.Optional;

/**
 * Service-level min-instances: one more instance while many requests meet a cold start and the
 * budget has headroom; back to the minimum when spend runs high. The gap between the two budget
 * marks (80 % and 90 % by default) and the cooldown keep it from flapping.
 */
public final class MinInstancesTuner {
  private MinInstancesTuner() {}

  /** The change to make, if any. */
  public record Change(int minInstances, String reason) {}

  /**
   * @param coldStartRatePercent share of requests that met a cold start, over a recent window
   * @param budgetUsedPercent month-to-date spend in percent of the budget; empty without a budget
   * @param lastChange when Lumen last changed min-instances
   */
  public static Optional<Change> decide(
      MinInstancesTuning spec,
      int current,
      Optional<Double> coldStartRatePercent,
      Optional<Double> budgetUsedPercent,
      Optional<Instant> lastChange,
      Instant now) {
    int min = spec.min();
    int max = spec.max();
    if (current < min || current > max) {
      int bounded = Math.max(min, Math.min(max, current));
      return Optional.of(
          new Change(
              bounded,
              "min-instances " + current + " is outside " + min + ".." + max + " of the policy"));
    }
    if (lastChange.isPresent()
        && now.isBefore(lastChange.get().plus(Durations.parse(spec.cooldown())))) {
      return Optional.empty();
    }
    double lowerAbove = Decimals.parse(spec.lowerAboveBudget());
    if (budgetUsedPercent.isPresent() && budgetUsedPercent.get() > lowerAbove && current > min) {
      return Optional.of(
          new Change(
              min,
              "spend is "
                  + Decimals.format(budgetUsedPercent.get(), 1)
                  + " % of the budget, above "
                  + spec.lowerAboveBudget()
                  + " %: lowering min-instances from "
                  + current
                  + " to "
                  + min));
    }
    double raiseAbove = Decimals.parse(spec.raiseAboveColdStartRate());
    double headroom = Decimals.parse(spec.budgetHeadroom());
    boolean budgetAllows = budgetUsedPercent.map(used -> used < headroom).orElse(true);
    if (coldStartRatePercent.isPresent()
        && coldStartRatePercent.get() > raiseAbove
        && budgetAllows
        && current < max) {
      return Optional.of(
          new Change(
              current + 1,
              Decimals.format(coldStartRatePercent.get(), 1)
                  + " % of requests met a cold start, above "
                  + spec.raiseAboveColdStartRate()
                  + " %"
                  + budgetUsedPercent
                      .map(u -> ", and spend is " + Decimals.format(u, 1) + " % of the budget")
                      .orElse("")
                  + ": raising min-instances from "
                  + current
                  + " to "
                  + (current + 1)));
    }
    return Optional.empty();
  }
}
