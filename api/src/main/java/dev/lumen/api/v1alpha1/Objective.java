package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One objective: a name, a severity and exactly one kind of measurement. */
@ValidationRule(
    value =
        "[has(self.availability), has(self.latency), has(self.errorRate),"
            + " has(self.cacheHitRate), has(self.custom)].filter(k, k).size() == 1",
    message = "set exactly one of availability, latency, errorRate, cacheHitRate or custom")
public record Objective(
    @JsonPropertyDescription(
            "Unique name of the objective within this SLOTarget (lower-case letters, digits and"
                + " '-'); it names the objective in status, metrics and alerts.")
        @Required
        @Size(min = 1, max = 63)
        @Pattern(ApiPatterns.DNS_LABEL)
        String name,
    @JsonPropertyDescription("What the objective protects, shown in notifications.")
        @Size(max = 256)
        String description,
    @JsonPropertyDescription(
            "How urgent a breach is. Critical: a breach and a page burn rate go to the critical"
                + " Slack channel and carry severity=critical in alerts. Warning: they go to the"
                + " warning channel with severity=warning. A ticket burn rate is a warning either"
                + " way; recoveries are info.")
        @Default("Warning")
        Severity severity,
    @JsonPropertyDescription(
            "Where a person finds what to do when the objective is breached (an http or https"
                + " URL), linked in notifications and alerts.")
        @Size(max = 2048)
        @Pattern(ApiPatterns.HTTP_URL)
        String runbookUrl,
    @JsonPropertyDescription("Share of requests that did not fail with a 5xx status, in percent.")
        AvailabilityObjective availability,
    @JsonPropertyDescription("A latency percentile must stay under a threshold.")
        LatencyObjective latency,
    @JsonPropertyDescription(
            "Share of requests that failed with a 4xx or 5xx status must stay under a maximum.")
        ErrorRateObjective errorRate,
    @JsonPropertyDescription("Share of cache lookups that hit must stay above a minimum.")
        CacheHitRateObjective cacheHitRate,
    @JsonPropertyDescription(
            "Any query of the metric source must stay within bounds for a duration.")
        CustomObjective custom) {

  /** How urgent a breach of the objective is. */
  public enum Severity {
    Critical,
    Warning
  }
}
