package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where decisions are announced; Kubernetes events are always written. */
public record NotificationsSpec(
    @JsonPropertyDescription("Post to Slack incoming webhooks.") SlackNotification slack,
    @JsonPropertyDescription("Send alerts to an Alertmanager (API v2).")
        AlertmanagerNotification alertmanager,
    @JsonPropertyDescription(
            "SLOTargets only: the Cloud Monitoring notification channels of the burn-rate alert"
                + " policies Lumen renders (lumen monitoring) and keeps in sync (lumen run"
                + " --cloud-monitoring-objects), by severity.")
        CloudMonitoringNotification cloudMonitoring) {}
