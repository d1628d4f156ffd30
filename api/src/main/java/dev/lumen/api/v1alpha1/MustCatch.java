package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * The regressions a promotion guarantees against: Lumen promotes a canary only once the evidence
 * shows it is better than these, so a canary this much worse than stable is promoted in at most 1
 * of 20 rollouts (with the default confidence of 95 %).
 */
public record MustCatch(
    @JsonPropertyDescription(
            "Error rate relative to stable's that must never be promoted, e.g. \"2x\": a canary"
                + " failing twice as often as stable. Larger figures promote sooner at low"
                + " traffic; it must be above 1 + tolerance.")
        @Default("2x")
        @Pattern(ApiPatterns.RATIO)
        @Size(max = 16)
        String errorRate,
    @JsonPropertyDescription(
            "Latency relative to stable's that must never be promoted, e.g. \"1.5x\": every request"
                + " taking half as long again. It must be above 1 + tolerance.")
        @Default("1.5x")
        @Pattern(ApiPatterns.RATIO)
        @Size(max = 16)
        String latency) {}
