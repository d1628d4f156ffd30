package dev.lumen.observe;

import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds up revisions into a service, or minutes into a window: a figure present in any part is
 * present in the sum.
 */
final class MetricSums {
  private MetricSums() {}

  static RevisionMetrics plus(RevisionMetrics a, RevisionMetrics b) {
    return sum(List.of(a, b));
  }

  /** Adds them all up at once, without an intermediate sum for each part. */
  static RevisionMetrics sum(List<RevisionMetrics> parts) {
    long total = 0;
    long clientErrors = 0;
    long serverErrors = 0;
    boolean anyRequests = false;
    List<LatencyDistribution> latencies = new ArrayList<>();
    double billable = 0;
    boolean anyBillable = false;
    long coldStarts = 0;
    boolean anyColdStarts = false;
    double instances = 0;
    boolean anyInstances = false;
    for (RevisionMetrics m : parts) {
      if (m.requests().isPresent()) {
        anyRequests = true;
        total += m.requests().get().total();
        clientErrors += m.requests().get().clientErrors();
        serverErrors += m.requests().get().serverErrors();
      }
      m.latency().ifPresent(latencies::add);
      if (m.billableInstanceSeconds().isPresent()) {
        anyBillable = true;
        billable += m.billableInstanceSeconds().get();
      }
      if (m.coldStarts().isPresent()) {
        anyColdStarts = true;
        coldStarts += m.coldStarts().get();
      }
      if (m.meanInstances().isPresent()) {
        anyInstances = true;
        instances += m.meanInstances().get();
      }
    }
    return new RevisionMetrics(
        anyRequests
            ? Optional.of(new RequestCounts(total, clientErrors, serverErrors))
            : Optional.empty(),
        latencies.isEmpty() ? Optional.empty() : Optional.of(LatencyDistribution.sum(latencies)),
        anyBillable ? Optional.of(billable) : Optional.empty(),
        anyColdStarts ? Optional.of(coldStarts) : Optional.empty(),
        anyInstances ? Optional.of(instances) : Optional.empty());
  }
}
