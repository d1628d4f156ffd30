package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Slack incoming webhooks; URLs are secrets, so they are read from Secrets. */
public record SlackNotification(
    @JsonPropertyDescription(
            "Secret key holding the incoming-webhook URL for info messages, and for warning and"
                + " critical ones when they have no channel of their own.")
        @Required
        SecretKeyReference webhookSecretRef,
    @JsonPropertyDescription(
            "Secret key holding a webhook URL that receives critical messages instead (e.g. a"
                + " #...-critical channel): rollbacks, failed rollbacks, breached Critical"
                + " objectives.")
        SecretKeyReference criticalWebhookSecretRef,
    @JsonPropertyDescription(
            "Secret key holding a webhook URL that receives warning messages instead (e.g. a"
                + " #...-warnings channel): blocked or paused rollouts, breached Warning"
                + " objectives, ticket burn rates. Info messages always go to webhookSecretRef.")
        SecretKeyReference warningWebhookSecretRef) {}
