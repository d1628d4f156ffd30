package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One decision Lumen took, with its reason. */
public record DecisionRecord(
    @JsonPropertyDescription("When it was decided (RFC 3339).") String time,
    @JsonPropertyDescription(
            "What was decided: a change (SetTraffic, Rollback, Promote, SetMinInstances,"
                + " SetCacheTtl) or an event that changes nothing by itself (e.g. RolloutStarted,"
                + " AnalysisFailed, Promoted, RolledBack).")
        String action,
    @JsonPropertyDescription("Why, with the measured values.") String reason,
    @JsonPropertyDescription(
            "For a change: true when the policy enforces (it is made, a traffic change once Cloud"
                + " Run serves it, see status.pending), false in DryRun (only reported). Absent for"
                + " an event.")
        Boolean applied) {}
