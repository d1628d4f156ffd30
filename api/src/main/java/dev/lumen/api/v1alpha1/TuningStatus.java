package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the tuning loops set last. */
public record TuningStatus(
    @JsonPropertyDescription("Current service-level min-instances.") Integer minInstances,
    @JsonPropertyDescription("Current cache TTL, e.g. 7m30s.") String cacheTtl,
    @JsonPropertyDescription("When the cache TTL last changed (RFC 3339).")
        String cacheTtlChangedAt,
    @JsonPropertyDescription("When min-instances last changed (RFC 3339).")
        String minInstancesChangedAt) {}
