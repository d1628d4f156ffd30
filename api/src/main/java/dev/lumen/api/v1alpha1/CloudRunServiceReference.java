package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A managed Cloud Run service, addressed as projects/PROJECT/locations/REGION/services/NAME. */
public record CloudRunServiceReference(
    @JsonPropertyDescription("Google Cloud project ID that owns the service, e.g. my-project.")
        @Required
        @Pattern(ApiPatterns.GCP_PROJECT)
        String project,
    @JsonPropertyDescription("Cloud Run region of the service, e.g. us-central1.")
        @Required
        @Size(max = 30)
        @Pattern(ApiPatterns.GCP_REGION)
        String region,
    @JsonPropertyDescription("Cloud Run service name, e.g. ion-api.")
        @Required
        @Size(min = 1, max = 49)
        @Pattern(ApiPatterns.CLOUD_RUN_NAME)
        String name) {

  /** The resource name the Cloud Run Admin API uses. */
  public String resourceName() {
    return "projects/" + project + "/locations/" + region + "/services/" + name;
  }
}
