package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What status says about the rollout once a recorded traffic change is confirmed served. Until then
 * status keeps saying what is true, and this waits beside the change in {@code pending}.
 */
public record TrafficOutcome(
    @JsonPropertyDescription("The decision that moves traffic, e.g. Rollback, Promote or Step.")
        String decision,
    @JsonPropertyDescription("The phase once the change is served.") RolloutPhase phase,
    @JsonPropertyDescription("The stable revision once the change is served.")
        String stableRevision,
    @JsonPropertyDescription("The canary once the change is served; empty when none.")
        String canaryRevision,
    @JsonPropertyDescription("The canary's percent once the change is served.")
        Integer canaryWeight,
    @JsonPropertyDescription("The step once the change is served.") Integer step,
    @JsonPropertyDescription(
            "When the step was decided (RFC 3339); once Cloud Run serves the split,"
                + " status.stepStartTime is set to that moment instead.")
        String stepStartTime,
    @JsonPropertyDescription("The rollout's memory once the change is served.")
        RolloutStatus rollout,
    @JsonPropertyDescription("The Progressing, RollbackPending and Degraded conditions then.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "Events and notifications that tell of the change, sent once it is served.")
        List<Announcement> announcements) {

  /**
   * An event, and a notification when {@code notification} is true, told once the change is served.
   */
  public record Announcement(
      @JsonPropertyDescription("Whether it is critical (a warning event, the critical channel).")
          Boolean critical,
      @JsonPropertyDescription("CamelCase kind, e.g. RolledBack.") String kind,
      @JsonPropertyDescription("The text.") String message,
      @JsonPropertyDescription("Whether it also goes to Slack and Alertmanager, not only events.")
          Boolean notification,
      @JsonPropertyDescription(
              "A notification's severity, which picks its Slack channel: critical, warning or"
                  + " info.")
          String severity) {}
}
