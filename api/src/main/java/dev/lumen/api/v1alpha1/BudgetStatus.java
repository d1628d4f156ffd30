package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Spend of the current month against the budget. */
public record BudgetStatus(
    @JsonPropertyDescription("Estimated month-to-date spend.") String spend,
    @JsonPropertyDescription("Spend forecast for the whole month at the current rate.")
        String forecast,
    @JsonPropertyDescription("Month-to-date spend in percent of the budget.") String usedPercent,
    @JsonPropertyDescription("Currency of the figures.") String currency,
    @JsonPropertyDescription("The month the figures are for, e.g. 2026-11 (UTC).") String month,
    @JsonPropertyDescription("Thresholds already announced this month, e.g. [\"80\"].")
        java.util.List<String> notifiedThresholds) {}
