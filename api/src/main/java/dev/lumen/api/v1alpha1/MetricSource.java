package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where measurements come from: exactly one of the backends. */
@ValidationRule(
    value = "has(self.cloudMonitoring) != has(self.prometheus)",
    message = "set exactly one of cloudMonitoring or prometheus")
public record MetricSource(
    @JsonPropertyDescription(
            "Read Cloud Run metrics from Google Cloud Monitoring; custom objectives are"
                + " Monitoring filters, or PromQL through its Prometheus-compatible API.")
        CloudMonitoringSource cloudMonitoring,
    @JsonPropertyDescription(
            "Read metrics from a Prometheus-compatible HTTP API; custom objectives are PromQL.")
        PrometheusSource prometheus) {}
