package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Adaptive tuning loops; an absent loop does not run. */
public record TuningSpec(
    @JsonPropertyDescription(
            "Adjust the service-level min-instances from the cold-start rate and the budget.")
        MinInstancesTuning minInstances,
    @JsonPropertyDescription("Adjust the Redis cache TTL the service reads from the hit rate.")
        CacheTtlTuning cacheTtl) {}
