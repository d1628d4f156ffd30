package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Canary rollout of a new revision, step by step, with analysis at every step. */
@ValidationRule(
    value =
        "has(self.steps[size(self.steps) - 1].weight)"
            + " && self.steps[size(self.steps) - 1].weight == 100",
    message = "the last step must be {weight: 100}: a rollout ends with all traffic on the canary",
    fieldPath = ".steps")
@ValidationRule(
    value =
        "!has(self.progressDeadline) || duration(self.progressDeadline) <= duration('"
            + DurationLimits.MAX_PROGRESS_DEADLINE
            + "')",
    message = "progressDeadline must be at most " + DurationLimits.MAX_PROGRESS_DEADLINE,
    fieldPath = ".progressDeadline")
public record RolloutSpec(
    @JsonPropertyDescription(
            "Steps in order. A weight step sends that percent of traffic to the canary and bakes"
                + " for its pause while analysis runs; an approval step waits for a person."
                + " Weights must increase and the last step must be {weight: 100}.")
        @Default(
            "[{\"weight\":5,\"pause\":\"10m\"},{\"weight\":10,\"pause\":\"10m\"},"
                + "{\"weight\":50,\"pause\":\"10m\"},{\"weight\":100}]")
        @Size(min = 1, max = 20)
        List<RolloutStep> steps,
    @JsonPropertyDescription("How the canary is judged at every step.") @Default("{}")
        AnalysisSpec analysis,
    @JsonPropertyDescription("When and how Lumen rolls back on its own.") @Default("{}")
        RollbackSpec rollback,
    @JsonPropertyDescription(
            "How long a weight step may go on without a passing analysis once its pause is over"
                + " (e.g. because traffic is too low to judge); then onProgressDeadline applies."
                + " Approval steps wait without limit.")
        @Default("30m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String progressDeadline,
    @JsonPropertyDescription(
            "What Lumen does when a step passes its progressDeadline. Hold (the default): the"
                + " canary keeps its weight, Progressing turns False with reason"
                + " ProgressDeadlineExceeded and the team is notified once; the analysis goes on,"
                + " so the rollout moves on by itself when an analysis passes and rolls back when"
                + " analyses fail, or a person promotes or aborts. Rollback: roll back at once."
                + " A deadline passes only on inconclusive analyses (failed ones roll back"
                + " first), so Rollback removes canaries nothing was found wrong with, mostly at"
                + " low traffic.")
        @Default("Hold")
        OnProgressDeadline onProgressDeadline,
    @JsonPropertyDescription(
            "Watch the new revision after promotion and roll it back to the revision it replaced"
                + " when it breaks the rollback triggers or a Rollback gate within the window."
                + " Absent: no watch, the rollout ends at promotion. A promotion by a person"
                + " (lumen.dev/promote) or outside Lumen is not watched.")
        PostPromotionSpec postPromotion,
    @JsonPropertyDescription(
            "Cloud Run tags on the canary and stable revisions while a rollout runs, so the"
                + " canary can be tested at its own URL.")
        @Default("{}")
        RevisionTagsSpec revisionTags) {

  /** What a step that runs past its progress deadline leads to. */
  public enum OnProgressDeadline {
    Hold,
    Rollback
  }
}
