package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Maturity score from six measures, and the level it maps to. */
public record MaturityStatus(
    @JsonPropertyDescription("Score from 0 to 100.") String score,
    @JsonPropertyDescription("Level 1 to 5.") Integer level,
    @JsonPropertyDescription("Name of the level, e.g. Quantitatively Managed.") String levelName) {}
