package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The cache in front of the service. Named here, its hit rate is measured whether or not Lumen
 * tunes its TTL: for the cacheHitRate objectives of the service's SLOTargets, the ROI gate and the
 * maturity score.
 */
public record CacheSpec(
    @JsonPropertyDescription(
            "The Redis (or Memorystore for Redis) that holds the cache; its hits and misses are read"
                + " from INFO stats every reconcile. spec.tuning.cacheTtl uses it when it names no"
                + " Redis of its own.")
        @Required
        RedisReference redis) {}
