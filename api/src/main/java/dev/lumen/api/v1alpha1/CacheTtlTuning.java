package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The cache TTL loop: a low hit rate raises the TTL, a very high one lowers it. */
@ValidationRule(
    value = "duration(self.min) <= duration(self.max)",
    message = "min must not be longer than max")
@ValidationRule(
    value = "duration(self.min) >= duration('60s') && duration(self.max) <= duration('1h')",
    message = "the TTL range must lie within 60s and 1h")
@ValidationRule(
    value = "double(self.raiseBelowHitRate) < double(self.lowerAboveHitRate)",
    message = "raiseBelowHitRate must be below lowerAboveHitRate, or the loop would flap",
    fieldPath = ".raiseBelowHitRate")
@ValidationRule(
    value =
        "!has(self.cooldown) || duration(self.cooldown) <= duration('"
            + DurationLimits.MAX_COOLDOWN
            + "')",
    message = "cooldown must be at most " + DurationLimits.MAX_COOLDOWN,
    fieldPath = ".cooldown")
public record CacheTtlTuning(
    @JsonPropertyDescription(
            "The Redis that holds the cache and the TTL key; defaults to spec.cache.redis.")
        RedisReference redis,
    @JsonPropertyDescription("Shortest TTL Lumen sets, at least 60s, e.g. 5m.")
        @Default("5m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String min,
    @JsonPropertyDescription("Longest TTL Lumen sets, at most 1h.")
        @Default("1h")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String max,
    @JsonPropertyDescription("Multiply the TTL by 1.5 while the hit rate is below this percent.")
        @Default("70")
        @Pattern(ApiPatterns.PERCENT)
        String raiseBelowHitRate,
    @JsonPropertyDescription("Multiply the TTL by 0.8 while the hit rate is above this percent.")
        @Default("90")
        @Pattern(ApiPatterns.PERCENT)
        String lowerAboveHitRate,
    @JsonPropertyDescription("Least time between two TTL changes, e.g. 30m.")
        @Default("30m")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String cooldown) {}
