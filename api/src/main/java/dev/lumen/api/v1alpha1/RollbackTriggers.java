package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * Conditions on the canary that trigger an automatic rollback. Limits on rates fire only when a
 * test that holds at every look shows the breach, so a canary exactly at a limit trips it in at
 * most 6 of 10,000 rollouts (docs/decisions.md#canary-analysis).
 */
public record RollbackTriggers(
    @JsonPropertyDescription(
            "Roll back when the canary's availability (non-5xx) is below this percent.")
        @Default("99")
        @Pattern(ApiPatterns.PERCENT)
        String minAvailability,
    @JsonPropertyDescription(
            "Roll back when the canary's error rate (4xx + 5xx) is above this percent.")
        @Default("1")
        @Pattern(ApiPatterns.PERCENT)
        String maxErrorRate,
    @JsonPropertyDescription("Roll back when the ROI gate fails.") @Default("true")
        Boolean onRoiFail,
    @JsonPropertyDescription("Roll back when spend exceeds the monthly budget.") @Default("true")
        Boolean onBudgetExceeded) {}
