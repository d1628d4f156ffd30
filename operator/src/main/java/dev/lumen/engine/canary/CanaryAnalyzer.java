package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.observe.LatencyDistribution;
import dev.lumen.engine.observe.RequestCounts;
import dev.lumen.engine.observe.TrafficWindow;
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

  public AnalysisResult analyze(
      AnalysisSpec spec, TrafficWindow canary, Optional<TrafficWindow> stable) {
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
    double z = Proportions.z(confidence);
    List<Check> checks = new ArrayList<>();
    checks.add(errorRate(spec, canary.requests(), z));
    checks.add(successRate(spec, canary.requests(), z));
    checks.add(latencyP95(spec, canary.latency(), confidence));
    if (compare) {
      double tolerance = Decimals.parse(spec.tolerance()) / 100;
      checks.add(errorRateVsStable(canary.requests(), stable, minRequests, tolerance, confidence));
      checks.add(latencyVsStable(canary.latency(), stable, minRequests, tolerance, confidence));
    }
    long passed = checks.stream().filter(c -> c.verdict() == Verdict.Pass).count();
    double score = (double) passed / checks.size();
    Verdict verdict;
    if (checks.stream().anyMatch(c -> c.verdict() == Verdict.Fail)) {
      verdict = Verdict.Fail;
    } else if (score >= Decimals.parse(spec.minConfidenceScore())) {
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

  private static Check errorRate(AnalysisSpec spec, RequestCounts r, double z) {
    double max = Decimals.parse(spec.maxErrorRate()) / 100;
    double rate = (double) r.errors() / r.total();
    double lower = Proportions.wilsonLower(r.errors(), r.total(), z);
    String value = percent(rate);
    String limit = "<= " + spec.maxErrorRate();
    if (lower > max) {
      return new Check(
          "errorRate",
          Verdict.Fail,
          value,
          limit,
          "error rate "
              + value
              + " % is above "
              + spec.maxErrorRate()
              + " % (at least "
              + percent(lower)
              + " % with the analysis confidence)");
    }
    if (rate <= max) {
      return new Check(
          "errorRate",
          Verdict.Pass,
          value,
          limit,
          "error rate " + value + " % is within " + spec.maxErrorRate() + " %");
    }
    return new Check(
        "errorRate",
        Verdict.Inconclusive,
        value,
        limit,
        "error rate "
            + value
            + " % is above "
            + spec.maxErrorRate()
            + " % but not significantly at "
            + r.total()
            + " requests");
  }

  private static Check successRate(AnalysisSpec spec, RequestCounts r, double z) {
    double min = Decimals.parse(spec.minSuccessRate()) / 100;
    double rate = (double) r.available() / r.total();
    double upper = Proportions.wilsonUpper(r.available(), r.total(), z);
    String value = percent(rate);
    String limit = ">= " + spec.minSuccessRate();
    if (upper < min) {
      return new Check(
          "successRate",
          Verdict.Fail,
          value,
          limit,
          "success rate "
              + value
              + " % is below "
              + spec.minSuccessRate()
              + " % (at most "
              + percent(upper)
              + " % with the analysis confidence)");
    }
    if (rate >= min) {
      return new Check(
          "successRate",
          Verdict.Pass,
          value,
          limit,
          "success rate " + value + " % reaches " + spec.minSuccessRate() + " %");
    }
    return new Check(
        "successRate",
        Verdict.Inconclusive,
        value,
        limit,
        "success rate "
            + value
            + " % is below "
            + spec.minSuccessRate()
            + " % but not significantly at "
            + r.total()
            + " requests");
  }

  /**
   * The p95 fails when even a lower confidence bound for it is above the limit: the order statistic
   * at the binomial quantile of the ranks.
   */
  private static Check latencyP95(
      AnalysisSpec spec, Optional<LatencyDistribution> latency, double confidence) {
    double max = Durations.parse(spec.maxLatencyP95()).toNanos() / 1e6;
    String limit = "<= " + Decimals.format(max, 3);
    if (latency.isEmpty() || latency.get().total() == 0) {
      return new Check(
          "latencyP95",
          Verdict.Inconclusive,
          null,
          limit,
          "no latency distribution measured for the canary");
    }
    LatencyDistribution d = latency.get();
    double p95 = d.percentile(95);
    double lower = d.valueAtRank(lowerConfidenceRank(d.total(), 0.95, confidence));
    String value = Decimals.format(p95, 1);
    if (lower > max) {
      return new Check(
          "latencyP95",
          Verdict.Fail,
          value,
          limit,
          "p95 "
              + value
              + " ms is above "
              + spec.maxLatencyP95()
              + " (at least "
              + Decimals.format(lower, 1)
              + " ms with the analysis confidence)");
    }
    if (p95 <= max) {
      return new Check(
          "latencyP95",
          Verdict.Pass,
          value,
          limit,
          "p95 " + value + " ms is within " + spec.maxLatencyP95());
    }
    return new Check(
        "latencyP95",
        Verdict.Inconclusive,
        value,
        limit,
        "p95 "
            + value
            + " ms is above "
            + spec.maxLatencyP95()
            + " but not significantly at "
            + d.total()
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
      Optional<TrafficWindow> stable,
      int minRequests,
      double tolerance,
      double confidence) {
    String name = "errorRateVsStable";
    if (stable.isEmpty() || stable.get().requests().total() < Math.max(1, minRequests)) {
      return new Check(
          name, Verdict.Inconclusive, null, null, "stable served too few requests to compare with");
    }
    RequestCounts s = stable.get().requests();
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
    double p =
        Proportions.pValueAbove(canary.errors(), canary.total(), allowed, stableRate, s.total());
    if (p < 1 - confidence) {
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
    return new Check(
        name,
        Verdict.Inconclusive,
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
    if (p < 1 - confidence) {
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
    return new Check(
        name,
        Verdict.Inconclusive,
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

  private static String percent(double fraction) {
    return Decimals.format(fraction * 100, 3);
  }
}
