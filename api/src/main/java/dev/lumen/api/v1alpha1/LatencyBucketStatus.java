package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One bucket of a latency histogram, as the metric source reports it. */
public record LatencyBucketStatus(
    @JsonPropertyDescription(
            "Lower bound in milliseconds, a decimal string; 0 for the histogram's first bucket.")
        String lowerBound,
    @JsonPropertyDescription("Upper bound in milliseconds, a decimal string (the bucket's le).")
        String upperBound) {}
