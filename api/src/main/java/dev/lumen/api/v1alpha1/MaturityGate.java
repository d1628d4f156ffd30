package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** A minimum maturity score (0 to 100). */
public record MaturityGate(
    @JsonPropertyDescription("Lowest acceptable maturity score, 0 to 100, e.g. \"50\".")
        @Default("50")
        @Pattern(ApiPatterns.PERCENT)
        String minScore,
    @JsonPropertyDescription(
            "While it fails: Block (default: a release gate, no new canary starts and one in"
                + " progress holds), Rollback or Notify.")
        @Default("Block")
        GateAction action) {}
