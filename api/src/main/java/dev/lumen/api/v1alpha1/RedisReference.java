package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Redis reached through a URL kept in a Secret. */
public record RedisReference(
    @JsonPropertyDescription(
            "Secret key holding the Redis URL, e.g. redis://:password@10.0.0.3:6379/0.")
        @Required
        SecretKeyReference urlSecretRef,
    @JsonPropertyDescription(
            "Redis key where the TTL (in seconds) is published for the application; defaults"
                + " to lumen:ttl:<service name>.")
        @Size(min = 1, max = 512)
        String ttlKey) {}
