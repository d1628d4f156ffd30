package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Cache hit rate: hits over hits plus misses of the service's cache. */
public record CacheHitRateObjective(
    @JsonPropertyDescription("Minimum hit rate in percent as a decimal string, e.g. \"80\".")
        @Default("80")
        @Pattern(ApiPatterns.PERCENT)
        String min) {}
