package dev.lumen.engine.canary;

import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import java.util.List;
import java.util.Optional;

/**
 * What a rollout can promise, from the traffic it sees: the smallest regressions its schedule can
 * rule out by the end of its last step before promotion, for a canary as good as stable. A
 * promotion needs evidence that the canary is better than mustCatch; when the schedule cannot
 * gather it in time, the rollout holds at its last step until it has, and the team is told how long
 * that will take.
 */
public final class Guarantee {
  /** Ratios beyond this are reported as out of reach. */
  static final double MAX_RATIO = 100;

  /** Bisection steps over ratios from the tolerance to 100: about 2 % apart in the end. */
  private static final int ITERATIONS = 9;

  /** One step of the schedule at a weight, and for how long. */
  public record Segment(int weight, double minutes) {}

  /**
   * @param errorRate the smallest error-rate ratio the schedule can rule out, or empty when no
   *     errors were seen to compare with
   * @param latency the same for latency, or empty without a latency distribution
   * @param reachable whether both are within mustCatch
   * @param extraMinutes how much longer than its pause the last step will take to reach mustCatch,
   *     when not reachable
   * @param message one line for people
   */
  public record Projection(
      Optional<Double> errorRate,
      Optional<Double> latency,
      boolean reachable,
      double extraMinutes,
      String message) {}

  private Guarantee() {}

  /**
   * @param requestsPerMinute the service's requests a minute, canary and stable together
   * @param stable stable's requests the canary is compared with (over the rollout, and its history
   *     while that counts), for its error rate
   * @param historyRequests how many of those came before the rollout: they weigh in the comparison
   *     of error rates as the rollout's own stable requests do
   * @param stableLatency stable's latency distribution in the current step
   * @param schedule the weight steps up to and including the last before promotion
   * @param guarantee the chance allowed of promoting a canary at mustCatch, e.g. 0.05
   */
  public static Projection project(
      ComparisonBasis basis,
      double guarantee,
      double requestsPerMinute,
      RequestCounts stable,
      long historyRequests,
      Optional<LatencyDistribution> stableLatency,
      List<Segment> schedule) {
    double needed = Math.log(1 / guarantee);
    // Weighed with stable's history, the promotion on error rate gives the history's set-aside
    // check its share of the guarantee (StableHistoryCheck), and needs that much more evidence.
    double errorsNeeded =
        historyRequests > 0
            ? Math.log(1 / StableHistoryCheck.promotionGuarantee(guarantee))
            : needed;
    double errorRate = stable.total() == 0 ? 0 : (double) stable.errors() / stable.total();
    double within = basis.errorRateWithin();
    Optional<Double> errors = Optional.empty();
    double errorsExtra = Double.POSITIVE_INFINITY;
    Segment last = schedule.isEmpty() ? new Segment(0, 0) : schedule.get(schedule.size() - 1);
    if (errorRate > 0 && !schedule.isEmpty()) {
      double ratioNeeded = errorsNeeded - Math.log(Evidence.RATIO_WEIGHT);
      errors =
          Optional.of(
              smallest(
                  basis.tolerated(),
                  m ->
                      errorEvidence(
                          within, m, requestsPerMinute, errorRate, schedule, historyRequests),
                  ratioNeeded));
      double have =
          errorEvidence(
              within,
              basis.errorRateMustCatch(),
              requestsPerMinute,
              errorRate,
              schedule,
              historyRequests);
      double perMinute =
          errorEvidence(
              within,
              basis.errorRateMustCatch(),
              requestsPerMinute,
              errorRate,
              List.of(new Segment(last.weight(), 1)),
              historyRequests);
      errorsExtra = extra(have, ratioNeeded, perMinute);
    }
    // The other way to promotion: shown within the floor of stable's rate.
    double floorNeeded = errorsNeeded - Math.log(1 - Evidence.RATIO_WEIGHT);
    double floorPerRequest = Evidence.belowFloorPerRequest(errorRate);
    double floorHave = canaryRequests(requestsPerMinute, schedule) * floorPerRequest;
    boolean withinFloor = !schedule.isEmpty() && floorHave >= floorNeeded;
    errorsExtra =
        Math.min(
            errorsExtra,
            extra(
                floorHave,
                floorNeeded,
                requestsPerMinute * last.weight() / 100.0 * floorPerRequest));
    boolean errorsReachable =
        withinFloor || errors.map(e -> e <= basis.errorRateMustCatch()).orElse(false);
    Optional<Double> latency = Optional.empty();
    double latencyExtra = 0;
    if (stableLatency.isPresent() && stableLatency.get().total() > 0 && !schedule.isEmpty()) {
      LatencyShift shift = new LatencyShift(stableLatency.get());
      double[] asStable = shift.probabilities(1);
      double[] good = shift.probabilities(basis.latencyWithin());
      double requests = canaryRequests(requestsPerMinute, schedule);
      latency =
          Optional.of(
              smallest(
                  basis.tolerated(),
                  m -> requests * perRequest(asStable, good, shift.probabilities(m)),
                  needed));
      double perRequest = perRequest(asStable, good, shift.probabilities(basis.latencyMustCatch()));
      double have = requests * perRequest;
      double lastPerMinute = requestsPerMinute * last.weight() / 100.0 * perRequest;
      latencyExtra = extra(have, needed, lastPerMinute);
    }
    boolean reachable =
        errorsReachable && latency.map(l -> l <= basis.latencyMustCatch()).orElse(true);
    double extra = Math.max(errorsReachable ? 0 : errorsExtra, latencyExtra);
    return new Projection(
        errors,
        latency,
        reachable,
        reachable ? 0 : extra,
        message(
            basis, requestsPerMinute, errorRate, errors, withinFloor, latency, reachable, extra));
  }

  /** Minutes more at the last step's rate to go from {@code have} to {@code needed}. */
  private static double extra(double have, double needed, double perMinute) {
    if (have >= needed) {
      return 0;
    }
    return perMinute <= 0 ? Double.POSITIVE_INFINITY : (needed - have) / perMinute;
  }

  private static String message(
      ComparisonBasis basis,
      double requestsPerMinute,
      double errorRate,
      Optional<Double> errors,
      boolean withinFloor,
      Optional<Double> latency,
      boolean reachable,
      double extra) {
    String traffic =
        "at "
            + Decimals.format(requestsPerMinute / 60, requestsPerMinute < 600 ? 2 : 0)
            + " requests a second and stable's "
            + Decimals.format(errorRate * 100, 3)
            + " % errors, the steps can show by the last one that ";
    String errorPart =
        errors.isPresent()
            ? "its error rate is below "
                + ratio(errors.get())
                + " stable's"
                + (withinFloor ? " or within 0.1 points of it" : "")
            : withinFloor
                ? "its error rate is within 0.1 points of stable's"
                : "its error rate is comparable (stable has shown no errors yet)";
    String latencyPart =
        latency
            .map(l -> "its latency below " + ratio(l) + " stable's")
            .orElse("its latency is comparable (no latency distribution yet)");
    String text =
        traffic
            + errorPart
            + " and "
            + latencyPart
            + " (mustCatch "
            + ratio(basis.errorRateMustCatch())
            + " errors, "
            + ratio(basis.latencyMustCatch())
            + " latency)";
    if (reachable) {
      return text;
    }
    String hold =
        Double.isInfinite(extra)
            ? "; at this traffic the last step cannot gather the evidence and will hold until a"
                + " person promotes or aborts it"
            : "; the last step will hold about "
                + Decimals.format(Math.ceil(extra), 0)
                + " minutes past its pause to gather the evidence";
    return text
        + hold
        + ": lengthen the steps or raise spec.rollout.analysis.mustCatch to promote sooner";
  }

  private static String ratio(double ratio) {
    return ratio >= MAX_RATIO
        ? "any regression (not even " + Decimals.format(MAX_RATIO, 0) + "x)"
        : Decimals.format(ratio, ratio < 10 ? 2 : 0) + "x";
  }

  /**
   * The expected log likelihood ratio for "within" against "m times worse", for a canary that fails
   * as often as stable, over the schedule: step by step, each under its split; with stable's
   * history, on the rollout's totals with the history added to stable's.
   */
  static double errorEvidence(
      double within,
      double m,
      double requestsPerMinute,
      double errorRate,
      List<Segment> schedule,
      long historyRequests) {
    if (historyRequests > 0) {
      double canary = 0;
      double stable = historyRequests;
      for (Segment segment : schedule) {
        double w = Math.min(100, Math.max(0, segment.weight())) / 100.0;
        canary += requestsPerMinute * segment.minutes() * w;
        stable += requestsPerMinute * segment.minutes() * (1 - w);
      }
      return errorRate * perError(within, m, canary, stable);
    }
    double sum = 0;
    for (Segment segment : schedule) {
      double w = segment.weight() / 100.0;
      if (w <= 0 || w >= 1) {
        continue;
      }
      double requests = requestsPerMinute * segment.minutes();
      sum += errorRate * perError(within, m, requests * w, requests * (1 - w));
    }
    return sum;
  }

  /**
   * The conditional test's expected log likelihood ratio over {@code canary} and {@code stable}
   * requests, per unit of error rate.
   */
  private static double perError(double within, double m, double canary, double stable) {
    if (canary <= 0 || stable <= 0) {
      return 0;
    }
    double shareWithin = within * canary / (within * canary + stable);
    double shareM = m * canary / (m * canary + stable);
    return canary * Math.log(shareWithin / shareM)
        + stable * Math.log((1 - shareWithin) / (1 - shareM));
  }

  private static double canaryRequests(double requestsPerMinute, List<Segment> schedule) {
    return schedule.stream()
        .mapToDouble(s -> requestsPerMinute * s.weight() / 100.0 * s.minutes())
        .sum();
  }

  /** The expected log likelihood ratio per request of a canary as slow as stable. */
  private static double perRequest(double[] asStable, double[] good, double[] bad) {
    double sum = 0;
    for (int i = 0; i < asStable.length; i++) {
      sum += asStable[i] * Math.log(good[i] / bad[i]);
    }
    return sum;
  }

  /** The smallest ratio above {@code low} whose evidence reaches {@code needed}, by bisection. */
  private static double smallest(
      double low, java.util.function.DoubleUnaryOperator evidence, double needed) {
    if (evidence.applyAsDouble(MAX_RATIO) < needed) {
      return MAX_RATIO;
    }
    double lo = Math.log(low);
    double hi = Math.log(MAX_RATIO);
    for (int i = 0; i < ITERATIONS; i++) {
      double mid = (lo + hi) / 2;
      if (evidence.applyAsDouble(Math.exp(mid)) >= needed) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return Math.exp(hi);
  }
}
