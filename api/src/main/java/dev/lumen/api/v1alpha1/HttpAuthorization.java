package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Credentials for an HTTP API, read from Secrets in the resource's namespace, never from spec. */
@ValidationRule(
    value = "has(self.bearerTokenSecretRef) != has(self.basicAuth)",
    message = "give either bearerTokenSecretRef or basicAuth, not both")
public record HttpAuthorization(
    @JsonPropertyDescription(
            "Secret key holding a bearer token, sent as Authorization: Bearer TOKEN (e.g. an"
                + " OAuth access token for a proxy in front of Google Managed Service for"
                + " Prometheus).")
        SecretKeyReference bearerTokenSecretRef,
    @JsonPropertyDescription("HTTP basic authentication.") BasicAuth basicAuth) {}
