package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A monthly spend budget, estimated from billable instance time and request counts. */
@ValidationRule(
    value = "self.thresholds.all(t, t.matches('^[0-9]+(\\\\.[0-9]+)?$'))",
    message = "every threshold is a percent of the budget as a decimal string, e.g. \"80\"",
    fieldPath = ".thresholds")
public record BudgetGate(
    @JsonPropertyDescription("The monthly budget, e.g. \"200\".")
        @Required
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String monthly,
    @JsonPropertyDescription("ISO 4217 currency of the budget, e.g. USD.")
        @Default("USD")
        @Pattern(ApiPatterns.CURRENCY)
        String currency,
    @JsonPropertyDescription(
            "Percent-of-budget marks that notify once each per month, in increasing order;"
                + " the gate fails at 100 % of the budget.")
        @Default("[\"80\",\"90\",\"100\"]")
        @Size(max = 10)
        List<String> thresholds,
    @JsonPropertyDescription(
            "While spend exceeds the budget: Rollback, Block or Notify. Unset: Rollback, or Notify"
                + " when spec.rollout.rollback.triggers.onBudgetExceeded is false.")
        GateAction action) {}
