package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One decision Lumen took, with its reason. */
public record DecisionRecord(
    @JsonPropertyDescription("When it was decided (RFC 3339).") String time,
    @JsonPropertyDescription(
            "What was decided, e.g. SetTraffic, Rollback, Promote, SetMinInstances, SetCacheTtl.")
        String action,
    @JsonPropertyDescription("Why, with the measured values.") String reason,
    @JsonPropertyDescription("Whether it was applied (Enforce) or only reported (DryRun).")
        Boolean applied) {}
