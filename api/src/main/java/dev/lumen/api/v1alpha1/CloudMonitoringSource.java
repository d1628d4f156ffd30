package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Google Cloud Monitoring as the metric backend. */
public record CloudMonitoringSource(
    @JsonPropertyDescription(
            "Project whose metrics scope holds the service's metrics; defaults to the service's"
                + " own project.")
        @Pattern(ApiPatterns.GCP_PROJECT)
        String project) {}
