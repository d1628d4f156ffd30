package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Prices that replace Cloud Run's tier-1 list prices of the billing mode, e.g. for another region
 * tier, committed-use discounts or another currency; each unset price keeps the list price.
 */
public record PricesSpec(
    @JsonPropertyDescription("Price of one vCPU-second, e.g. \"0.000024\".")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String perVcpuSecond,
    @JsonPropertyDescription("Price of one GiB-second of memory, e.g. \"0.0000025\".")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String perGibSecond,
    @JsonPropertyDescription("Price of one million requests, e.g. \"0.40\".")
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String perMillionRequests) {}
