package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Slack incoming webhooks; URLs are secrets, so they are read from Secrets. */
public record SlackNotification(
    @JsonPropertyDescription("Secret key holding the incoming-webhook URL for all messages.")
        @Required
        SecretKeyReference webhookSecretRef,
    @JsonPropertyDescription(
            "Secret key holding a second webhook URL that receives critical messages instead.")
        SecretKeyReference criticalWebhookSecretRef) {}
