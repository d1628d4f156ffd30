package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a canary revision against absolute limits and against the stable revision, with tests that
 * hold however often they are looked at (docs/decisions.md). A check fails only on evidence that
 * the canary breaks its limit, or is worse than stable beyond the tolerance; the comparisons with
 * stable pass only on evidence that the canary is better than mustCatch, and the limits when the
 * measured value keeps them. Everything between is Inconclusive.
 */
public final class CanaryAnalyzer {
  /** Worsening below this many percentage points of error rate is never called a regression. */
  static final double ERROR_RATE_FLOOR = 0.001;

  /**
   * What the canary and stable revisions served since the rollout started: the error rates are
   * judged on them, the latency on the current step's distribution.
   */
  public record RolloutCounts(RequestCounts canary, RequestCounts stable) {}

  /**
   * @param canary the canary's traffic in the current step
   * @param stable stable's traffic over the same minutes
   * @param rollout both revisions' requests since the rollout started
   * @param evidence the comparisons' evidence over the rollout, the current step's included
   */
  public AnalysisResult analyze(
      AnalysisSpec spec,
      TrafficWindow canary,
      Optional<TrafficWindow> stable,
      RolloutCounts rollout,
      Evidence evidence) {
    long n = canary.requests().total();
    int minRequests = spec.minRequests() == null ? 0 : spec.minRequests();
    boolean compare = Boolean.TRUE.equals(spec.compareWithStable());
    // A step's first analyses may have no requests of their own yet but new ones of the step
    // before (its last minutes, which arrive after it ended): those are weighed, for a rollback.
    boolean earlierStepsOnly = n == 0 && minRequests == 0 && rollout.canary().total() > 0;
    if (!earlierStepsOnly && (n < minRequests || n == 0)) {
      String why =
          n == 0
              ? "no canary requests in this step yet"
              : n + " canary requests, fewer than minRequests " + minRequests;
      List<Check> checks = new ArrayList<>();
      for (String name : checkNames(compare)) {
        checks.add(new Check(name, Verdict.Inconclusive, null, null, why));
      }
      return new AnalysisResult(Verdict.Inconclusive, 0, n, checks);
    }
    List<Check> checks = new ArrayList<>();
    RequestCounts canaryRequests =
        rollout.canary().total() > 0 ? rollout.canary() : canary.requests();
    String scope = " (the rollout's " + canaryRequests.total() + " requests)";
    checks.add(errorRate(spec, canaryRequests).noting(scope));
    checks.add(successRate(spec, canaryRequests).noting(scope));
    checks.add(latencyP95(spec, canary.latency()));
    if (compare) {
      ComparisonBasis basis = ComparisonBasis.of(spec);
      double guarantee = 1 - Decimals.parse(spec.confidence()) / 100;
      checks.add(
          errorRateVsStable(basis, canaryRequests, rollout.stable(), evidence, guarantee)
              .noting(scope));
      checks.add(
          latencyVsStable(
              basis,
              canary.latency(),
              stable.flatMap(TrafficWindow::latency),
              evidence,
              guarantee));
    }
    long passed = checks.stream().filter(c -> c.verdict() == Verdict.Pass).count();
    double score = (double) passed / checks.size();
    Verdict verdict;
    if (checks.stream().anyMatch(c -> c.verdict() == Verdict.Fail)) {
      verdict = Verdict.Fail;
    } else if (score >= Decimals.parse(spec.minConfidenceScore())
        && checks.stream().noneMatch(Check::outsideLimit)
        && checks.stream()
            .filter(c -> c.name().endsWith("VsStable"))
            .allMatch(c -> c.verdict() == Verdict.Pass)) {
      verdict = Verdict.Pass;
    } else {
      verdict = Verdict.Inconclusive;
    }
    if (earlierStepsOnly && verdict == Verdict.Pass) {
      // Promotion and the next step need requests served at this step's split.
      verdict = Verdict.Inconclusive;
    }
    return new AnalysisResult(verdict, score, n, checks);
  }

  static List<String> checkNames(boolean compare) {
    return compare
        ? List.of("errorRate", "successRate", "latencyP95", "errorRateVsStable", "latencyVsStable")
        : List.of("errorRate", "successRate", "latencyP95");
  }

  private static Check errorRate(AnalysisSpec spec, RequestCounts r) {
    double max = Decimals.parse(spec.maxErrorRate());
    return limit(
        "errorRate",
        "error rate",
        " %",
        100.0 * r.errors() / r.total(),
        LimitTest.exceeds(r.errors(), r.total(), max / 100, FalseRollbacks.RATE_LIMIT),
        "shown by a sequential test over " + r.total() + " requests",
        max,
        true,
        spec.maxErrorRate() + " %",
        r.total());
  }

  private static Check successRate(AnalysisSpec spec, RequestCounts r) {
    double min = Decimals.parse(spec.minSuccessRate());
    return limit(
        "successRate",
        "success rate",
        " %",
        100.0 * r.available() / r.total(),
        LimitTest.exceeds(r.serverErrors(), r.total(), 1 - min / 100, FalseRollbacks.RATE_LIMIT),
        "shown by a sequential test over " + r.total() + " requests",
        min,
        false,
        spec.minSuccessRate() + " %",
        r.total());
  }

  /**
   * The p95 is above its limit when more than 5 % of the requests are: counted in the buckets that
   * lie wholly above it, so a bucket straddling the limit never counts against the canary.
   */
  private static Check latencyP95(AnalysisSpec spec, Optional<LatencyDistribution> latency) {
    double max = Durations.parse(spec.maxLatencyP95()).toNanos() / 1e6;
    if (latency.isEmpty() || latency.get().total() == 0) {
      return new Check(
          "latencyP95",
          Verdict.Inconclusive,
          null,
          "<= " + Decimals.format(max, 3),
          "no latency distribution measured for the canary");
    }
    LatencyDistribution d = latency.get();
    long slower = d.countAbove(max);
    return limit(
        "latencyP95",
        "p95",
        " ms",
        d.percentile(95),
        LimitTest.exceeds(slower, d.total(), 0.05, FalseRollbacks.LATENCY_LIMIT_PER_STEP),
        slower + " of " + d.total() + " requests slower than the limit, shown by a sequential test",
        max,
        true,
        spec.maxLatencyP95(),
        d.total());
  }

  /**
   * A measured value against a limit, honestly: Fail only when the evidence shows it breaks the
   * limit, Pass when the measured value keeps it, Inconclusive in between.
   *
   * @param breaks whether the evidence shows the limit broken, not just the measured value
   * @param evidence what showed it, for the message
   * @param isMaximum whether the limit is a maximum (else a minimum)
   */
  private static Check limit(
      String name,
      String what,
      String unit,
      double measured,
      boolean breaks,
      String evidence,
      double limit,
      boolean isMaximum,
      String limitText,
      long n) {
    String value = Decimals.format(measured, 3);
    String limitValue = (isMaximum ? "<= " : ">= ") + Decimals.format(limit, 3);
    String side = isMaximum ? "above" : "below";
    if (breaks) {
      return new Check(
          name,
          Verdict.Fail,
          value,
          limitValue,
          what + " " + value + unit + " is " + side + " " + limitText + " (" + evidence + ")");
    }
    if (isMaximum ? measured <= limit : measured >= limit) {
      return new Check(
          name,
          Verdict.Pass,
          value,
          limitValue,
          what + " " + value + unit + (isMaximum ? " is within " : " reaches ") + limitText);
    }
    return Check.outsideLimit(
        name,
        value,
        limitValue,
        what
            + " "
            + value
            + unit
            + " is "
            + side
            + " "
            + limitText
            + " but not significantly at "
            + n
            + " requests");
  }

  /**
   * Fails on evidence that the canary fails more often than stable times the tolerance (and by at
   * least {@link #ERROR_RATE_FLOOR}); passes on evidence that it fails less often than stable times
   * mustCatch.
   */
  private static Check errorRateVsStable(
      ComparisonBasis basis,
      RequestCounts canary,
      RequestCounts stable,
      Evidence evidence,
      double guarantee) {
    String name = "errorRateVsStable";
    if (stable.total() == 0) {
      return new Check(
          name, Verdict.Inconclusive, null, null, "stable served no requests to compare with");
    }
    double stableRate = (double) stable.errors() / stable.total();
    double canaryRate = (double) canary.errors() / canary.total();
    double allowed = Math.max(stableRate * basis.tolerated(), stableRate + ERROR_RATE_FLOOR);
    String value = percent(canaryRate);
    String limit = "<= " + percent(allowed) + " (stable " + percent(stableRate) + ")";
    String weighed =
        weighed(
            evidence.errorRateWorse(),
            FalseRollbacks.ERROR_RATE_VS_STABLE,
            evidence.errorRateWithin(),
            guarantee,
            basis.errorRateMustCatch());
    if (evidence.errorRateWorse() >= Math.log(1 / FalseRollbacks.ERROR_RATE_VS_STABLE)
        && canaryRate > allowed) {
      return new Check(
          name,
          Verdict.Fail,
          value,
          limit,
          "error rate "
              + value
              + " % is worse than stable's "
              + percent(stableRate)
              + " % beyond the tolerance"
              + weighed);
    }
    double promotionGuarantee =
        evidence.promotesWithHistory()
            ? StableHistoryCheck.promotionGuarantee(guarantee)
            : guarantee;
    if (evidence.errorRateWithin() >= Math.log(1 / promotionGuarantee)) {
      return new Check(
          name,
          Verdict.Pass,
          value,
          limit,
          "error rate "
              + value
              + " % is shown below "
              + ratio(basis.errorRateMustCatch())
              + " stable's "
              + percent(stableRate)
              + " %"
              + weighed);
    }
    String text =
        "error rate " + value + " % against stable's " + percent(stableRate) + " %" + weighed;
    return canaryRate > allowed
        ? Check.outsideLimit(name, value, limit, text)
        : new Check(name, Verdict.Inconclusive, value, limit, text);
  }

  /**
   * Fails on evidence that the canary's requests take longer than stable's times the tolerance;
   * passes on evidence that they take less than stable's times mustCatch. Weighed on whole
   * histograms, not on percentiles; the p95s are shown to read it by.
   */
  private static Check latencyVsStable(
      ComparisonBasis basis,
      Optional<LatencyDistribution> canary,
      Optional<LatencyDistribution> stable,
      Evidence evidence,
      double guarantee) {
    String name = "latencyVsStable";
    boolean comparable = Evidence.comparable(canary, stable);
    if (!comparable && evidence.latencyWithin() == 0 && evidence.latencyWorse() == 0) {
      return new Check(
          name,
          Verdict.Inconclusive,
          null,
          null,
          "no latency distribution of stable to compare with");
    }
    String value = comparable ? Decimals.format(canary.get().percentile(95), 1) : null;
    String limit = null;
    String measured = "";
    if (comparable) {
      double stableP95 = stable.get().percentile(95);
      limit =
          "<= "
              + Decimals.format(stableP95 * basis.tolerated(), 1)
              + " (stable "
              + Decimals.format(stableP95, 1)
              + ")";
      measured = ": p95 " + value + " ms, stable's " + Decimals.format(stableP95, 1) + " ms";
    }
    String weighed =
        weighed(
            evidence.latencyWorse(),
            FalseRollbacks.LATENCY_VS_STABLE,
            evidence.latencyWithin(),
            guarantee,
            basis.latencyMustCatch());
    if (evidence.latencyWorse() >= Math.log(1 / FalseRollbacks.LATENCY_VS_STABLE)) {
      return new Check(
          name,
          Verdict.Fail,
          value,
          limit,
          "canary is slower than stable beyond the tolerance" + measured + weighed);
    }
    if (evidence.latencyWithin() >= Math.log(1 / guarantee)) {
      return new Check(
          name,
          Verdict.Pass,
          value,
          limit,
          "canary is shown faster than "
              + ratio(basis.latencyMustCatch())
              + " stable's latency"
              + measured
              + weighed);
    }
    return new Check(
        name, Verdict.Inconclusive, value, limit, "latency against stable's" + measured + weighed);
  }

  /**
   * The two evidences as likelihood ratios beside the thresholds they must reach, e.g. "(evidence
   * of a regression 3.1, rolls back at 250; of within 2x 8.4, promotes at 20)".
   */
  private static String weighed(
      double logWorse, double falseRollback, double logWithin, double guarantee, double mustCatch) {
    return " (evidence of a regression "
        + likelihood(logWorse)
        + ", rolls back at "
        + Decimals.format(1 / falseRollback, 0)
        + "; of better than "
        + ratio(mustCatch)
        + " "
        + likelihood(logWithin)
        + ", promotes at "
        + Decimals.format(1 / guarantee, 0)
        + ")";
  }

  private static String likelihood(double log) {
    double value = Math.exp(Math.min(700, log));
    return value >= 1e6 ? "over a million" : Decimals.format(value, value < 10 ? 2 : 0);
  }

  private static String ratio(double ratio) {
    return Decimals.format(ratio, 3) + "x";
  }

  /** A fraction as a percent figure. */
  private static String percent(double fraction) {
    return Decimals.format(fraction * 100, 3);
  }
}
