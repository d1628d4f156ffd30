package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Automatic rollback: announced first, executed after a grace period unless held. */
@ValidationRule(
    value =
        "!has(self.gracePeriod) || duration(self.gracePeriod) <= duration('"
            + DurationLimits.MAX_GRACE_PERIOD
            + "')",
    message = "gracePeriod must be at most " + DurationLimits.MAX_GRACE_PERIOD,
    fieldPath = ".gracePeriod")
public record RollbackSpec(
    @JsonPropertyDescription(
            "Roll back on its own when availability, error rate, ROI or budget break their"
                + " rollback limits; when false Lumen only recommends.")
        @Default("true")
        Boolean automatic,
    @JsonPropertyDescription(
            "Time between announcing a rollback and executing it, during which a person can"
                + " hold it (annotation lumen.dev/hold-rollback), e.g. 5m.")
        @Default("5m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String gracePeriod,
    @JsonPropertyDescription("What makes Lumen roll a canary back, besides failed analysis.")
        @Default("{}")
        RollbackTriggers triggers) {}
