package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** HTTP basic authentication: a user name in spec, its password in a Secret. */
public record BasicAuth(
    @JsonPropertyDescription("User name; not a secret, so it may stand in the spec.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(ApiPatterns.BASIC_AUTH_USER)
        String username,
    @JsonPropertyDescription("Secret key holding the password.") @Required
        SecretKeyReference passwordSecretRef) {}
