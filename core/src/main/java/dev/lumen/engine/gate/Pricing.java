package dev.lumen.engine.gate;

/**
 * Cloud Run prices used to estimate spend: instance time by vCPU and memory, and requests. The
 * defaults are Cloud Run's list prices for instance-based billing in tier-1 regions (USD).
 */
public record Pricing(double perVcpuSecond, double perGibSecond, double perMillionRequests) {
  public static final Pricing CLOUD_RUN_TIER_1 = new Pricing(0.000024, 0.0000025, 0.40);
}
