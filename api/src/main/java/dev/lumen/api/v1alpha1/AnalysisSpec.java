package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How the canary is judged at each analysis interval. */
@ValidationRule(
    value =
        "!has(self.interval) || (duration(self.interval) >= duration('"
            + DurationLimits.MIN_INTERVAL
            + "') && duration(self.interval) <= duration('"
            + DurationLimits.MAX_INTERVAL
            + "'))",
    message =
        "interval must lie between "
            + DurationLimits.MIN_INTERVAL
            + " and "
            + DurationLimits.MAX_INTERVAL,
    fieldPath = ".interval")
@ValidationRule(
    value =
        "!has(self.maxLatencyP95) || duration(self.maxLatencyP95) <= duration('"
            + DurationLimits.MAX_LATENCY
            + "')",
    message = "maxLatencyP95 must be at most " + DurationLimits.MAX_LATENCY,
    fieldPath = ".maxLatencyP95")
@ValidationRule(
    value =
        "!has(self.stableHistory) || duration(self.stableHistory) <= duration('"
            + DurationLimits.MAX_STABLE_HISTORY
            + "')",
    message = "stableHistory must be at most " + DurationLimits.MAX_STABLE_HISTORY,
    fieldPath = ".stableHistory")
public record AnalysisSpec(
    @JsonPropertyDescription("How often the canary is measured and judged, e.g. 1m.")
        @Default("1m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String interval,
    @JsonPropertyDescription(
            "Fewest canary requests in a step for a judgement; with fewer the result is"
                + " Inconclusive, never Pass or Fail. Lumen's tests hold at any number of requests,"
                + " so none is needed; a floor only delays decisions.")
        @Default("0")
        @Min(0)
        @Max(1000000000)
        Integer minRequests,
    @JsonPropertyDescription(
            "Failed judgements tolerated in a step; one more rolls the canary back. A check fails"
                + " only on evidence that holds however often it is looked at, so the default is 0:"
                + " each failure tolerated delays a rollback by an interval.")
        @Default("0")
        @Min(0)
        @Max(100)
        Integer failureLimit,
    @JsonPropertyDescription("Highest canary error rate (4xx + 5xx) in percent, e.g. \"1\".")
        @Default("1")
        @Pattern(ApiPatterns.PERCENT)
        String maxErrorRate,
    @JsonPropertyDescription("Highest canary p95 latency, e.g. 15s.")
        @Default("15s")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String maxLatencyP95,
    @JsonPropertyDescription("Lowest canary success rate (non-5xx) in percent, e.g. \"95\".")
        @Default("95")
        @Pattern(ApiPatterns.PERCENT)
        String minSuccessRate,
    @JsonPropertyDescription(
            "Also compare the canary with the stable revision: a canary shown worse than stable"
                + " beyond the tolerance fails even inside the absolute limits, and promotion waits"
                + " for evidence that it is better than mustCatch.")
        @Default("true")
        Boolean compareWithStable,
    @JsonPropertyDescription(
            "How much worse than stable the canary may be without being rolled back, in percent of"
                + " stable's error rate and latency, e.g. \"25\": a canary 1.25 times as bad is"
                + " rolled back in at most 1 of 250 rollouts.")
        @Default("25")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 16)
        String tolerance,
    @JsonPropertyDescription(
            "Confidence of a promotion in percent, e.g. \"95\": a canary as bad as mustCatch is"
                + " promoted in at most 100 - confidence percent of rollouts.")
        @Default("95")
        @Pattern(ApiPatterns.PERCENT)
        String confidence,
    @JsonPropertyDescription(
            "Lowest confidence score (0 to 1) the canary must reach to pass a step, e.g."
                + " \"0.75\". Promotion also needs every comparison with stable to pass and every"
                + " measured value within its limit, whatever the score.")
        @Default("0.75")
        @Pattern(ApiPatterns.UNIT_INTERVAL)
        String minConfidenceScore,
    @JsonPropertyDescription(
            "The regressions a promotion guarantees against, relative to stable. Lumen shows in"
                + " status.rollout.guarantee what the traffic it sees can catch, and warns when the"
                + " steps are too short for this.")
        @Default("{}")
        MustCatch mustCatch,
    @JsonPropertyDescription(
            "How long before the rollout stable's requests count in the decision to promote, e.g."
                + " 24h; 0s (the default) counts the rollout's own requests only. With a day of"
                + " them stable's error rate is nearly known and a healthy canary is promoted"
                + " sooner at 1 to 10 requests a second; rollbacks never use them. It assumes"
                + " stable fails as often during the rollout as before it: stable's requests"
                + " during the rollout are checked against the history at every analysis and a"
                + " clear change sets the history aside (event StableHistorySetAside), but a"
                + " change too small to show weakens the promotion's guarantee. Use it for"
                + " services whose error rate is steady through the day (docs/decisions.md).")
        @Default("0s")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String stableHistory) {

  /** These settings with another stable history, e.g. "0s" for none. */
  public AnalysisSpec withStableHistory(String history) {
    return new AnalysisSpec(
        interval,
        minRequests,
        failureLimit,
        maxErrorRate,
        maxLatencyP95,
        minSuccessRate,
        compareWithStable,
        tolerance,
        confidence,
        minConfidenceScore,
        mustCatch,
        history);
  }
}
