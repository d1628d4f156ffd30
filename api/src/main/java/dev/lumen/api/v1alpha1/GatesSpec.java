package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Gates a rollout must pass; an absent gate is not evaluated. */
public record GatesSpec(
    @JsonPropertyDescription("The named SLOTargets must not be in a failing state.") SloGate slo,
    @JsonPropertyDescription("The cache must pay for itself.") RoiGate roi,
    @JsonPropertyDescription("Spend must stay inside the monthly budget.") BudgetGate budget,
    @JsonPropertyDescription("The service's maturity score must reach a minimum.")
        MaturityGate maturity) {}
