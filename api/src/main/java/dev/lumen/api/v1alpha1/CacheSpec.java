package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

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
        RedisReference redis,
    @JsonPropertyDescription(
            "What the cache itself costs a month (e.g. the Memorystore instance), in the budget's"
                + " currency; counted in the budget gate's spend, pro rata over the month.")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String monthlyCost) {}
