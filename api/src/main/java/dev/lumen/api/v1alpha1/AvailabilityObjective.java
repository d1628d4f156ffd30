package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Availability: requests that did not end in 5xx, over all requests. */
public record AvailabilityObjective(
    @JsonPropertyDescription(
            "Minimum availability in percent as a decimal string, e.g. \"99.5\". 4xx responses"
                + " count as available.")
        @Default("99.5")
        @Pattern(ApiPatterns.PERCENT)
        String target) {}
