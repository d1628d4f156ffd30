package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One rollout step: either a traffic weight with a pause, or an approval. */
@ValidationRule(
    value = "has(self.weight) != has(self.approval)",
    message = "a step sets either weight (with an optional pause) or approval, not both or neither")
@ValidationRule(
    value = "!has(self.pause) || has(self.weight)",
    message = "pause belongs to a weight step; an approval step waits for a person instead",
    fieldPath = ".pause")
@ValidationRule(
    value =
        "!has(self.pause) || duration(self.pause) <= duration('" + DurationLimits.MAX_PAUSE + "')",
    message = "pause must be at most " + DurationLimits.MAX_PAUSE,
    fieldPath = ".pause")
public record RolloutStep(
    @JsonPropertyDescription("Percent of traffic sent to the canary in this step, 1 to 100.")
        @Min(1)
        @Max(100)
        Integer weight,
    @JsonPropertyDescription(
            "How long to bake at this weight, with analysis running, before the next step"
                + " (e.g. 10m). Measurements start when the step starts.")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String pause,
    @JsonPropertyDescription(
            "Wait until a person approves (annotation lumen.dev/approve) before the next step.")
        ApprovalStep approval) {}
