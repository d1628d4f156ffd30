package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Prometheus-compatible HTTP API as the metric backend. */
public record PrometheusSource(
    @JsonPropertyDescription(
            "Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090.")
        @Required
        @Size(max = 2048)
        @Pattern(ApiPatterns.HTTP_URL)
        String url,
    @JsonPropertyDescription(
            "Credentials sent with every query, from Secrets; the URL itself may not carry any.")
        HttpAuthorization auth) {}
