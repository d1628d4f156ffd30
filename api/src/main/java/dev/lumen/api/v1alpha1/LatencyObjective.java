package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Latency: a percentile of request latency must stay under a threshold. */
@ValidationRule(
    value =
        "!has(self.threshold) || duration(self.threshold) <= duration('"
            + DurationLimits.MAX_LATENCY
            + "')",
    message = "threshold must be at most " + DurationLimits.MAX_LATENCY,
    fieldPath = ".threshold")
public record LatencyObjective(
    @JsonPropertyDescription("The percentile to measure, 1 to 99 (e.g. 95 for p95).")
        @Default("95")
        @Min(1)
        @Max(99)
        Integer percentile,
    @JsonPropertyDescription("The percentile must stay below this duration, e.g. 200ms.")
        @Required
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String threshold) {}
