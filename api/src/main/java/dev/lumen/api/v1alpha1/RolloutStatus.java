package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The rollout's memory: everything the operator needs to resume exactly where it was after a
 * restart, and what a person needs to see why it is where it is.
 */
public record RolloutStatus(
    @JsonPropertyDescription(
            "The last revision that was rolled back; it is not rolled out again until a newer"
                + " revision appears or a person asks to retry (annotation lumen.dev/retry).")
        String failedRevision,
    @JsonPropertyDescription("Failed analyses in the current step.") Integer stepFailures,
    @JsonPropertyDescription("The latest canary analysis, with every check's measured value.")
        AnalysisStatus lastAnalysis,
    @JsonPropertyDescription("An announced rollback waiting for its grace period to end.")
        PendingRollbackStatus pendingRollback,
    @JsonPropertyDescription(
            "A person holds automatic rollbacks (annotation lumen.dev/hold-rollback) until"
                + " released (lumen.dev/release-rollback).")
        Boolean held,
    @JsonPropertyDescription(
            "Why the rollout is paused, e.g. traffic was changed outside Lumen; empty when not"
                + " paused.")
        String pausedReason,
    @JsonPropertyDescription(
            "Why the canary holds its weight past the step's progress deadline; empty when it"
                + " does not. The analysis goes on: the rollout moves on when one passes.")
        String deadlineExceeded,
    @JsonPropertyDescription(
            "The traffic split Lumen last set; a different live split means someone changed it"
                + " outside Lumen.")
        List<TrafficShare> trafficSetByLumen,
    @JsonPropertyDescription(
            "Requests the canary and stable served in the rollout's earlier steps, each to the"
                + " minute before it ended. The rollback triggers and the analysis before promotion weigh"
                + " them with the current step's, so evidence about a canary is not lost when it"
                + " moves on.")
        EarlierStepsStatus earlierSteps,
    @JsonPropertyDescription(
            "The failing gate whose action is Block, with its measured value and threshold, and"
                + " what it holds back; empty when none blocks.")
        String blockedBy,
    @JsonPropertyDescription(
            "The revision a person let go past failing Block gates (annotation"
                + " lumen.dev/override-gates), until its rollout ends.")
        String gatesOverriddenFor,
    @JsonPropertyDescription(
            "The promoted revision under watch (spec.rollout.postPromotion) and the revision it"
                + " replaced, which a breach within the window rolls back to; empty when none is"
                + " watched.")
        WatchStatus watch,
    @JsonPropertyDescription(
            "What the rollout can promise at the traffic it sees: the smallest regressions its"
                + " steps can rule out by the last one, against spec.rollout.analysis.mustCatch;"
                + " empty before the first analysis.")
        GuaranteeStatus guarantee,
    @JsonPropertyDescription(
            "Stable's requests before the rollout (spec.rollout.analysis.stableHistory), counted"
                + " with its requests during the rollout when the promotion compares error rates;"
                + " empty until read, and when none is wanted.")
        StableHistoryStatus stableHistory) {

  /** This status with another split set by Lumen, e.g. a rollback retargeted. */
  public RolloutStatus withTrafficSetByLumen(List<TrafficShare> traffic) {
    return new RolloutStatus(
        failedRevision,
        stepFailures,
        lastAnalysis,
        pendingRollback,
        held,
        pausedReason,
        deadlineExceeded,
        traffic,
        earlierSteps,
        blockedBy,
        gatesOverriddenFor,
        watch,
        guarantee,
        stableHistory);
  }

  /** This status with another watch, e.g. one counted from when the promotion was served. */
  public RolloutStatus withWatch(WatchStatus newWatch) {
    return new RolloutStatus(
        failedRevision,
        stepFailures,
        lastAnalysis,
        pendingRollback,
        held,
        pausedReason,
        deadlineExceeded,
        trafficSetByLumen,
        earlierSteps,
        blockedBy,
        gatesOverriddenFor,
        newWatch,
        guarantee,
        stableHistory);
  }

  /** One revision's share of traffic. */
  public record TrafficShare(
      @JsonPropertyDescription("Revision name.") String revision,
      @JsonPropertyDescription("Percent of traffic, 0 to 100.") Integer percent) {}

  /** What the canary and stable served before the current step. */
  public record EarlierStepsStatus(
      @JsonPropertyDescription("The canary's requests.") RequestCountsStatus canary,
      @JsonPropertyDescription("The stable revision's requests over the same periods.")
          RequestCountsStatus stable,
      @JsonPropertyDescription(
              "What the earlier steps showed in the comparisons with stable, which the current"
                  + " step's evidence adds to.")
          EvidenceStatus evidence,
      @JsonPropertyDescription(
              "The last step's final minutes, still at its split, whose data had not arrived"
                  + " when the rollout moved on (the data delay): they are read and added here"
                  + " once it has; empty when none is awaited.")
          MinutesStatus arriving) {}

  /** Whole minutes of metric data. */
  public record MinutesStatus(
      @JsonPropertyDescription("The first minute's start (RFC 3339).") String startTime,
      @JsonPropertyDescription("The end of the last minute (RFC 3339).") String endTime) {}

  /**
   * Evidence of the comparisons with stable as natural logarithms of likelihood ratios, summed over
   * steps; each is kept as a decimal string.
   */
  public record EvidenceStatus(
      @JsonPropertyDescription(
              "What the evidence weighs, e.g. \"tolerance 25 %, mustCatch 2x errors, 1.5x"
                  + " latency\"; evidence gathered on another basis is dropped when the spec"
                  + " changes.")
          String basis,
      @JsonPropertyDescription(
              "For a rollback on error rate: one figure per regression size weighed, from"
                  + " mustCatch up.")
          List<String> errorRateWorse,
      @JsonPropertyDescription("For a promotion on error rate: within tolerance against mustCatch.")
          String errorRateWithin,
      @JsonPropertyDescription(
              "For a promotion on error rate when errors are too rare to compare: stable's rate"
                  + " plus 0.025 points against stable's plus 0.1 points, below which a worsening"
                  + " is never rolled back.")
          String errorRateBelowFloor,
      @JsonPropertyDescription(
              "For a rollback on latency: one figure per regression size weighed, from mustCatch"
                  + " up.")
          List<String> latencyWorse,
      @JsonPropertyDescription("For a promotion on latency: within tolerance against mustCatch.")
          String latencyWithin) {}

  /** Requests by outcome. */
  public record RequestCountsStatus(
      @JsonPropertyDescription("All requests.") Long requests,
      @JsonPropertyDescription("Responses with a 4xx status.") Long clientErrors,
      @JsonPropertyDescription("Responses with a 5xx status.") Long serverErrors) {}

  /** A promoted revision under watch. */
  public record WatchStatus(
      @JsonPropertyDescription("The promoted revision, now stable.") String revision,
      @JsonPropertyDescription("The revision it replaced, which a rollback goes back to.")
          String previousRevision,
      @JsonPropertyDescription(
              "When the watch started: when Cloud Run served all traffic on the promoted"
                  + " revision (RFC 3339).")
          String startTime,
      @JsonPropertyDescription("When the watch ends and the previous revision is forgotten.")
          String endTime,
      @JsonPropertyDescription(
              "The previous revision's requests during the rollout, for reference: the promoted"
                  + " revision is judged against the rollback triggers' limits.")
          RequestCountsStatus baseline) {}

  /** What a rollout's steps can rule out at the traffic they see. */
  public record GuaranteeStatus(
      @JsonPropertyDescription(
              "The smallest error-rate ratio to stable ruled out by the last step, e.g. \"3.4x\";"
                  + " empty while stable has shown no errors.")
          String errorRate,
      @JsonPropertyDescription(
              "The smallest latency ratio to stable ruled out by the last step, e.g. \"1.2x\";"
                  + " empty without a latency distribution.")
          String latency,
      @JsonPropertyDescription(
              "Whether both are within mustCatch; if not, the last step holds past its pause"
                  + " until the evidence is in.")
          Boolean reachable,
      @JsonPropertyDescription("The same in words, with the traffic it was worked out from.")
          String message) {}

  /** Stable's requests in a window before the rollout. */
  public record StableHistoryStatus(
      @JsonPropertyDescription("The stable revision counted.") String revision,
      @JsonPropertyDescription("Start of the window (RFC 3339).") String startTime,
      @JsonPropertyDescription(
              "End of the window: the start of the minute before the rollout's first step (RFC"
                  + " 3339), so no request counts twice.")
          String endTime,
      @JsonPropertyDescription("Stable's requests in the window.") RequestCountsStatus requests,
      @JsonPropertyDescription(
              "Why the history no longer counts, e.g. stable's error rate during the rollout"
                  + " differs from it; empty while it counts.")
          String setAside) {}

  /** An announced rollback. */
  public record PendingRollbackStatus(
      @JsonPropertyDescription("Why the rollback was announced.") String reason,
      @JsonPropertyDescription("When it was announced (RFC 3339).") String announcedTime,
      @JsonPropertyDescription("When it will be executed unless held (RFC 3339).")
          String executeAfter) {}
}
