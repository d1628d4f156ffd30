package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Error rate: requests that ended in 4xx or 5xx, over all requests. */
public record ErrorRateObjective(
    @JsonPropertyDescription(
            "Maximum error rate in percent as a decimal string, e.g. \"0.1\"; 4xx and 5xx"
                + " responses both count as errors.")
        @Default("0.1")
        @Pattern(ApiPatterns.PERCENT)
        String max) {}
