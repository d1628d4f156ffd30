package dev.lumen.benchmarks.quality;

import dev.lumen.ports.FakeMetrics;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When Cloud Monitoring has a minute of one series: one to three minutes after the minute ends,
 * uniformly at random to the second, each series and minute on its own (Cloud Monitoring documents
 * up to three minutes for Cloud Run's metrics). Fixed by the seed, the revision and the minute, so
 * that every read of a run sees the same arrivals.
 */
final class CloudMonitoringArrival {
  private CloudMonitoringArrival() {}

  static Duration delay(long seed, FakeMetrics.Point point) {
    long mixed =
        seed * 0x9E3779B97F4A7C15L
            ^ point.revision().hashCode() * 0xC2B2AE3D27D4EB4FL
            ^ point.time().getEpochSecond();
    return Duration.ofSeconds(60 + new SplittableRandom(mixed).nextInt(121));
  }
}
