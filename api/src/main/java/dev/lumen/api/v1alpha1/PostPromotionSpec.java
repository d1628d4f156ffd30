package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The watch after promotion: a regression that shows only at full traffic is still rolled back to
 * the revision the rollout replaced.
 */
@ValidationRule(
    value =
        "!has(self.window) || (duration(self.window) >= duration('"
            + DurationLimits.MIN_WATCH
            + "') && duration(self.window) <= duration('"
            + DurationLimits.MAX_WATCH
            + "'))",
    message =
        "window must be between " + DurationLimits.MIN_WATCH + " and " + DurationLimits.MAX_WATCH,
    fieldPath = ".window")
public record PostPromotionSpec(
    @JsonPropertyDescription(
            "How long after promotion (from when Cloud Run serves all traffic on the new"
                + " revision) Lumen still compares it with the previous revision's requests"
                + " during the rollout and applies the rollback triggers and the gates whose"
                + " action is Rollback. A breach announces a rollback to the previous revision"
                + " with the rollback grace period, as during the canary. After the window the"
                + " previous revision is forgotten.")
        @Default("30m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String window) {}
