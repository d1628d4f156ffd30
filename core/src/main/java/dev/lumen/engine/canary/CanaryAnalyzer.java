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
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * Judges a canary revision, over the traffic of its current step, against absolute limits and
 * against the stable revision. Honest at low traffic: with fewer than {@code minRequests} the
 * verdict is Inconclusive; a limit fails only when the canary breaks it with the analysis
 * confidence, and passes only when its measured value keeps it.
 */
public final class CanaryAnalyzer {
  /** Worsening below this many percentage points of error rate is never significant. */
  static final double ERROR_RATE_FLOOR = 0.001;

  /**
   * The comparisons with stable are re-run every interval on a growing window, and failures on
   * nearly the same data come in runs, so failureLimit alone does not hold their false alarms: each
   * look is held to the analysis confidence shared among this many looks (Bonferroni). Ten holds a
   * healthy canary's false rollbacks near 1 % in the decision-quality benchmark.
   */
  static final int LOOKS_PER_STEP = 4;

  /**
   * What the canary and stable revisions served since the rollout started. A promotion is judged on
   * it: it is the last decision, and the earlier steps' requests make the error rates tell a canary
   * twice as bad as stable from a healthy one far more often than the last step alone.
   */
  public record PromotionEvidence(RequestCounts canary, RequestCounts stable) {}

  /**
   * @param promotion present when passing this analysis promotes the canary. The error-rate checks
   *     then weigh the whole rollout's requests, and a check whose measured value is on the wrong
   *     side of its limit holds the step whatever the score: earlier steps expose a small share of
   *     traffic and may move on with the score, promotion waits until every measurement is within
   *     its limit or a test shows it broken. Latency is judged on the step's own distribution.
   */
  public AnalysisResult analyze(
      AnalysisSpec spec,
      TrafficWindow canary,
      Optional<TrafficWindow> stable,
      Optional<PromotionEvidence> promotion) {
    long n = canary.requests().total();
    int minRequests = spec.minRequests();
    boolean compare = Boolean.TRUE.equals(spec.compareWithStable());
    if (n < minRequests || n == 0) {
      String why = n + " canary requests, fewer than minRequests " + minRequests;
      List<Check> checks = new ArrayList<>();
      for (String name : checkNames(compare)) {
        checks.add(new Check(name, Verdict.Inconclusive, null, null, why));
      }
      return new AnalysisResult(Verdict.Inconclusive, 0, n, checks);
    }
    double confidence = Decimals.parse(spec.confidence()) / 100;
    List<Check> checks = new ArrayList<>();
    RequestCounts canaryRequests =
        promotion.map(PromotionEvidence::canary).orElse(canary.requests());
    Optional<RequestCounts> stableRequests =
        promotion.map(PromotionEvidence::stable).or(() -> stable.map(TrafficWindow::requests));
    String scope =
        promotion.isPresent() ? " (the rollout's " + canaryRequests.total() + " requests)" : "";
    Optional<RequestCounts> healthy = SequentialRateTest.comparable(stableRequests, minRequests);
    checks.add(errorRate(spec, canaryRequests, healthy).noting(scope));
    checks.add(successRate(spec, canaryRequests, healthy).noting(scope));
    checks.add(latencyP95(spec, canary.latency(), confidence));
    if (compare) {
      double tolerance = Decimals.parse(spec.tolerance()) / 100;
      checks.add(
          errorRateVsStable(canaryRequests, stableRequests, minRequests, tolerance, confidence)
              .noting(scope));
      checks.add(latencyVsStable(canary.latency(), stable, minRequests, tolerance, confidence));
    }
    long passed = checks.stream().filter(c -> c.verdict() == Verdict.Pass).count();
    double score = (double) passed / checks.size();
    Verdict verdict;
    if (checks.stream().anyMatch(c -> c.verdict() == Verdict.Fail)) {
      verdict = Verdict.Fail;
    } else if (score >= Decimals.parse(spec.minConfidenceScore())
        && !(promotion.isPresent() && checks.stream().anyMatch(Check::outsideLimit))) {
      verdict = Verdict.Pass;
    } else {
      verdict = Verdict.Inconclusive;
    }
    return new AnalysisResult(verdict, score, n, checks);
  }

  static List<String> checkNames(boolean compare) {
    return compare
        ? List.of("errorRate", "successRate", "latencyP95", "errorRateVsStable", "latencyVsStable")
        : List.of("errorRate", "successRate", "latencyP95");
  }

  /** The rate limits fail by a sequential test: they are looked at every interval. */
  private static Check errorRate(
      AnalysisSpec spec, RequestCounts r, Optional<RequestCounts> stable) {
    double max = Decimals.parse(spec.maxErrorRate());
    return limit(
        "errorRate",
        "error rate",
        " %",
        100.0 * r.errors() / r.total(),
        SequentialRateTest.exceeds(
            r, stable, RequestCounts::errors, max / 100, SequentialRateTest.PER_STEP_FALSE_ALARM),
        "shown by a sequential test over " + r.total() + " requests",
        max,
        true,
        spec.maxErrorRate() + " %",
        r.total());
  }

  private static Check successRate(
      AnalysisSpec spec, RequestCounts r, Optional<RequestCounts> stable) {
    double min = Decimals.parse(spec.minSuccessRate());
    return limit(
        "successRate",
        "success rate",
        " %",
        100.0 * r.available() / r.total(),
        SequentialRateTest.exceeds(
            r,
            stable,
            RequestCounts::serverErrors,
            1 - min / 100,
            SequentialRateTest.PER_STEP_FALSE_ALARM),
        "shown by a sequential test over " + r.total() + " requests",
        min,
        false,
        spec.minSuccessRate() + " %",
        r.total());
  }

  /**
   * The p95 fails when even a lower confidence bound for it is above the limit: the order statistic
   * at the binomial quantile of the ranks.
   */
  private static Check latencyP95(
      AnalysisSpec spec, Optional<LatencyDistribution> latency, double confidence) {
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
    double lower = d.valueAtRank(lowerConfidenceRank(d.total(), 0.95, confidence));
    return limit(
        "latencyP95",
        "p95",
        " ms",
        d.percentile(95),
        lower > max,
        "at least " + Decimals.format(lower, 3) + " ms with the analysis confidence",
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
   * The rank below which the true {@code quantile} lies with only {@code 1 - confidence} chance:
   * the binomial quantile of the ranks, exact for small samples and by its normal approximation
   * once n p (1 - p) reaches 10, where the two agree to a rank and the exact search costs tens of
   * microseconds.
   */
  static double lowerConfidenceRank(long n, double quantile, double confidence) {
    double variance = n * quantile * (1 - quantile);
    if (variance < 10) {
      return BinomialDistribution.of((int) n, quantile)
          .inverseCumulativeProbability(1 - confidence);
    }
    return Math.max(0, Math.floor(n * quantile - Proportions.z(confidence) * Math.sqrt(variance)));
  }

  /**
   * The canary fails against stable when its error rate is significantly above stable's plus the
   * tolerance (relative, but at least {@link #ERROR_RATE_FLOOR} absolute).
   */
  private static Check errorRateVsStable(
      RequestCounts canary,
      Optional<RequestCounts> stable,
      int minRequests,
      double tolerance,
      double confidence) {
    String name = "errorRateVsStable";
    if (stable.isEmpty() || stable.get().total() < Math.max(1, minRequests)) {
      return new Check(
          name, Verdict.Inconclusive, null, null, "stable served too few requests to compare with");
    }
    RequestCounts s = stable.get();
    double stableRate = (double) s.errors() / s.total();
    double canaryRate = (double) canary.errors() / canary.total();
    double allowed = Math.max(stableRate * (1 + tolerance), stableRate + ERROR_RATE_FLOOR);
    String value = percent(canaryRate);
    String limit = "<= " + percent(allowed) + " (stable " + percent(stableRate) + ")";
    if (canaryRate <= allowed) {
      return new Check(
          name,
          Verdict.Pass,
          value,
          limit,
          "error rate "
              + value
              + " % is within tolerance of stable's "
              + percent(stableRate)
              + " %");
    }
    // Both tests must find it: the exact test of the ratio keeps a stable that was lucky in the
    // window from making a few canary errors significant, and the test of the difference keeps a
    // worsening below the absolute floor from failing.
    double p =
        Math.max(
            Proportions.pValueAbove(
                canary.errors(), canary.total(), allowed, stableRate, s.total()),
            Proportions.conditionalPValueAbove(
                canary.errors(), canary.total(), s.errors(), s.total(), 1 + tolerance));
    if (p < (1 - confidence) / LOOKS_PER_STEP) {
      return new Check(
          name,
          Verdict.Fail,
          value,
          limit,
          "error rate "
              + value
              + " % is significantly worse than stable's "
              + percent(stableRate)
              + " % (p="
              + Decimals.format(p, 4)
              + ")");
    }
    return Check.outsideLimit(
        name,
        value,
        limit,
        "error rate "
            + value
            + " % is above stable's "
            + percent(stableRate)
            + " % plus tolerance, but not significantly (p="
            + Decimals.format(p, 4)
            + ")");
  }

  /**
   * The canary fails against stable when it is significantly slower (Mann-Whitney U) and its p95 is
   * beyond stable's p95 plus the tolerance: both statistically and practically worse.
   */
  private static Check latencyVsStable(
      Optional<LatencyDistribution> canary,
      Optional<TrafficWindow> stable,
      int minRequests,
      double tolerance,
      double confidence) {
    String name = "latencyVsStable";
    Optional<LatencyDistribution> stableLatency = stable.flatMap(TrafficWindow::latency);
    if (canary.isEmpty()
        || stableLatency.isEmpty()
        || stableLatency.get().total() < Math.max(1, minRequests)) {
      return new Check(
          name,
          Verdict.Inconclusive,
          null,
          null,
          "no latency distribution of stable to compare with");
    }
    if (!canary.get().sameBuckets(stableLatency.get())) {
      return new Check(
          name,
          Verdict.Inconclusive,
          null,
          null,
          "canary and stable latencies have different buckets");
    }
    double canaryP95 = canary.get().percentile(95);
    double stableP95 = stableLatency.get().percentile(95);
    double allowed = stableP95 * (1 + tolerance);
    String value = Decimals.format(canaryP95, 1);
    String limit =
        "<= " + Decimals.format(allowed, 1) + " (stable " + Decimals.format(stableP95, 1) + ")";
    if (canaryP95 <= allowed) {
      return new Check(
          name,
          Verdict.Pass,
          value,
          limit,
          "p95 "
              + value
              + " ms is within tolerance of stable's "
              + Decimals.format(stableP95, 1)
              + " ms");
    }
    double p = MannWhitney.pValueCanarySlower(canary.get(), stableLatency.get());
    if (p < (1 - confidence) / LOOKS_PER_STEP) {
      return new Check(
          name,
          Verdict.Fail,
          value,
          limit,
          "canary is significantly slower than stable: p95 "
              + value
              + " ms vs "
              + Decimals.format(stableP95, 1)
              + " ms (Mann-Whitney p="
              + Decimals.format(p, 4)
              + ")");
    }
    return Check.outsideLimit(
        name,
        value,
        limit,
        "p95 "
            + value
            + " ms is beyond tolerance of stable's "
            + Decimals.format(stableP95, 1)
            + " ms, but not significantly (p="
            + Decimals.format(p, 4)
            + ")");
  }

  /** A fraction as a percent figure. */
  private static String percent(double fraction) {
    return Decimals.format(fraction * 100, 3);
  }
}
