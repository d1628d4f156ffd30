package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One long/short window pair of the multi-window burn-rate evaluation. */
public record BurnRateStatus(
    @JsonPropertyDescription("The long window, e.g. 1h.") String longWindow,
    @JsonPropertyDescription("The short window, e.g. 5m.") String shortWindow,
    @JsonPropertyDescription(
            "Burn rate over the long window (1 means the budget lasts exactly the window).")
        String longRate,
    @JsonPropertyDescription("Burn rate over the short window.") String shortRate,
    @JsonPropertyDescription("Both rates must exceed this factor for the pair to fire.")
        String threshold,
    @JsonPropertyDescription("Page or Ticket.") String severity,
    @JsonPropertyDescription("Whether both windows burn faster than the threshold.")
        Boolean firing) {}
