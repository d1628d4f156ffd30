package dev.lumen.engine.gate;

/**
 * What a service used this calendar month (UTC) so far.
 *
 * @param billableInstanceSeconds billable instance time ({@code container/billable_instance_time})
 * @param requests requests served ({@code request_count})
 * @param vcpuPerInstance the service's CPU limit per instance
 * @param memoryGibPerInstance the service's memory limit per instance, in GiB
 */
public record CostUsage(
    double billableInstanceSeconds,
    long requests,
    double vcpuPerInstance,
    double memoryGibPerInstance) {

  public double spend(Pricing pricing) {
    return billableInstanceSeconds
            * (vcpuPerInstance * pricing.perVcpuSecond()
                + memoryGibPerInstance * pricing.perGibSecond())
        + requests / 1_000_000.0 * pricing.perMillionRequests();
  }
}
