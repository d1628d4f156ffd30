package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a Secret in the resource's own namespace. */
public record SecretKeyReference(
    @JsonPropertyDescription("Name of the Secret, in the same namespace as this resource.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(ApiPatterns.SECRET_NAME)
        String name,
    @JsonPropertyDescription("Key inside the Secret's data that holds the value.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(ApiPatterns.SECRET_KEY)
        String key) {}
