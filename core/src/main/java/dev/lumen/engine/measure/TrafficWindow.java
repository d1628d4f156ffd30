package dev.lumen.engine.measure;

import java.util.Optional;

/**
 * What one revision (or a whole service) served over a window: request outcomes and latencies. The
 * latency distribution is absent when the source did not report one.
 */
public record TrafficWindow(RequestCounts requests, Optional<LatencyDistribution> latency) {
  public static TrafficWindow of(RequestCounts requests, LatencyDistribution latency) {
    return new TrafficWindow(requests, Optional.ofNullable(latency));
  }
}
