package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Service-level min-instances: raised on cold starts while the budget allows, lowered on cost. */
@ValidationRule(value = "self.min <= self.max", message = "min must not be greater than max")
@ValidationRule(
    value = "double(self.budgetHeadroom) < double(self.lowerAboveBudget)",
    message = "budgetHeadroom must be below lowerAboveBudget, or the loop would flap",
    fieldPath = ".budgetHeadroom")
@ValidationRule(
    value =
        "!has(self.cooldown) || duration(self.cooldown) <= duration('"
            + DurationLimits.MAX_COOLDOWN
            + "')",
    message = "cooldown must be at most " + DurationLimits.MAX_COOLDOWN,
    fieldPath = ".cooldown")
public record MinInstancesTuning(
    @JsonPropertyDescription("Lowest min-instances Lumen sets.") @Default("0") @Min(0) @Max(1000)
        Integer min,
    @JsonPropertyDescription("Highest min-instances Lumen sets.") @Default("3") @Min(0) @Max(1000)
        Integer max,
    @JsonPropertyDescription(
            "Raise min-instances when more than this percent of requests hit a cold start.")
        @Default("10")
        @Pattern(ApiPatterns.PERCENT)
        String raiseAboveColdStartRate,
    @JsonPropertyDescription(
            "Raise only while month-to-date spend is below this percent of the budget.")
        @Default("80")
        @Pattern(ApiPatterns.PERCENT)
        String budgetHeadroom,
    @JsonPropertyDescription("Lower to min when spend exceeds this percent of the budget.")
        @Default("90")
        @Pattern(ApiPatterns.PERCENT)
        String lowerAboveBudget,
    @JsonPropertyDescription("Least time between two min-instances changes, e.g. 15m.")
        @Default("15m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String cooldown) {}
