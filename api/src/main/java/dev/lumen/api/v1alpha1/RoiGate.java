package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * ROI of the cache: (value of its savings - its cost) / its cost, in percent. The value comes
 * either from a fixed monthly estimate or from measured hits times a value per thousand hits.
 */
@ValidationRule(
    value = "double(self.warn) <= double(self.pass)",
    message =
        "warn must not be greater than pass: ROI at or above pass passes, at or above warn"
            + " warns, below warn fails")
@ValidationRule(
    value = "!(has(self.monthlySavings) && has(self.valuePerThousandHits))",
    message = "set at most one of monthlySavings or valuePerThousandHits")
public record RoiGate(
    @JsonPropertyDescription("What the cache costs per month, e.g. \"9.36\".")
        @Required
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String cacheMonthlyCost,
    @JsonPropertyDescription("A fixed estimate of what the cache saves per month, e.g. \"200\".")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String monthlySavings,
    @JsonPropertyDescription(
            "What one thousand cache hits save (backend work avoided), e.g. \"0.02\"; savings"
                + " are then measured from hits.")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String valuePerThousandHits,
    @JsonPropertyDescription("ROI in percent at or above which the gate passes.")
        @Default("500")
        @Pattern(ApiPatterns.SIGNED_DECIMAL)
        @Size(max = 32)
        String pass,
    @JsonPropertyDescription(
            "ROI in percent at or above which the gate warns; below it the gate fails and"
                + " recommends a rollback.")
        @Default("300")
        @Pattern(ApiPatterns.SIGNED_DECIMAL)
        @Size(max = 32)
        String warn,
    @JsonPropertyDescription(
            "While it fails: Rollback, Block or Notify. Unset: Rollback, or Notify when"
                + " spec.rollout.rollback.triggers.onRoiFail is false.")
        GateAction action) {}
