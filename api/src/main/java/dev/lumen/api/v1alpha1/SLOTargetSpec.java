package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired objectives of one service. */
@ValidationRule(
    value =
        "!has(self.evaluationInterval) || (duration(self.evaluationInterval) >= duration('"
            + DurationLimits.MIN_INTERVAL
            + "') && duration(self.evaluationInterval) <= duration('"
            + DurationLimits.MAX_INTERVAL
            + "'))",
    message =
        "evaluationInterval must lie between "
            + DurationLimits.MIN_INTERVAL
            + " and "
            + DurationLimits.MAX_INTERVAL,
    fieldPath = ".evaluationInterval")
public record SLOTargetSpec(
    @JsonPropertyDescription("The Cloud Run service whose objectives these are.") @Required
        ServiceReference service,
    @JsonPropertyDescription(
            "Where the measurements come from. Defaults to Cloud Monitoring in the service's"
                + " project.")
        @Default("{\"cloudMonitoring\":{}}")
        MetricSource source,
    @JsonPropertyDescription(
            "Rolling compliance window the error budget is computed over, in hours or days"
                + " (e.g. 28d, 720h); between 1h and 90d.")
        @Default("28d")
        @Pattern(ApiPatterns.WINDOW)
        @Size(max = 8)
        String window,
    @JsonPropertyDescription(
            "How often the objectives are measured, as a duration (e.g. 1m); between 10s and"
                + " 1h.")
        @Default("1m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String evaluationInterval,
    @JsonPropertyDescription(
            "The objectives; each has a unique name and exactly one kind (availability, latency,"
                + " errorRate, cacheHitRate or custom).")
        @Required
        @Size(min = 1, max = 32)
        List<Objective> objectives,
    @JsonPropertyDescription(
            "Where breaches, burn-rate alerts and recoveries of the objectives are announced,"
                + " once per transition, to the channel of the objective's severity; Kubernetes"
                + " events are always written.")
        NotificationsSpec notifications) {}
