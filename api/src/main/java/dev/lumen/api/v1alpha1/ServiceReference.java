package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The service an SLOTarget measures or a LumenPolicy steers. */
public record ServiceReference(
    @JsonPropertyDescription("The managed Cloud Run service.") @Required
        CloudRunServiceReference cloudRun) {}
