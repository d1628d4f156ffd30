package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The latest measurement of one objective, written whole at each evaluation. */
public record ObjectiveStatus(
    @JsonPropertyDescription("Name of the objective in spec.objectives.") String name,
    @JsonPropertyDescription(
            "Measured value in the objective's unit (percent, or milliseconds for latency);"
                + " absent when there was no data.")
        String current,
    @JsonPropertyDescription("The bound the value is compared with, in the same unit.")
        String target,
    @JsonPropertyDescription("Whether the objective is met; absent when there was no data.")
        Boolean met,
    @JsonPropertyDescription(
            "Error budget left over the compliance window, in percent of the budget (negative"
                + " when overspent).")
        String errorBudgetRemaining,
    @JsonPropertyDescription("Multi-window burn rates of the error budget.")
        List<BurnRateStatus> burnRates,
    @JsonPropertyDescription(
            "Latency objectives whose threshold is not a bucket bound of the latency histogram:"
                + " the bucket that holds it. Lumen counts the requests at or below the threshold"
                + " by interpolating linearly inside it, and the Prometheus rules it generates do"
                + " the same between the two bounds' le series; absent when the threshold is a"
                + " bound (nothing to interpolate) or before the first latency data.")
        LatencyBucketStatus thresholdBucket) {}
