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
 * @param thresholdBucket for a latency objective whose threshold is not a bucket bound of the
 *     histogram measured: the bucket that holds it, interpolated inside
 */
public record ObjectiveResult(
    String name,
    String unit,
    Optional<Double> current,
    String target,
    Optional<Boolean> met,
    Optional<Double> budgetRemaining,
    List<BurnRate> burnRates,
    Optional<Bucket> thresholdBucket) {

  public ObjectiveResult(
      String name,
      String unit,
      Optional<Double> current,
      String target,
      Optional<Boolean> met,
      Optional<Double> budgetRemaining,
      List<BurnRate> burnRates) {
    this(name, unit, current, target, met, budgetRemaining, burnRates, Optional.empty());
  }

  /** A latency histogram's bucket, bounds in milliseconds. */
  public record Bucket(double lowerMillis, double upperMillis) {}

  public ObjectiveResult withThresholdBucket(Optional<Bucket> bucket) {
    return new ObjectiveResult(
        name, unit, current, target, met, budgetRemaining, burnRates, bucket);
  }

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
