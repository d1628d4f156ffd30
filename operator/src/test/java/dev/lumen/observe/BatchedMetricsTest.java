package dev.lumen.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import dev.lumen.sim.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchedMetricsTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  /** Fails its first read, then answers with nothing. */
  static final class FlakySource implements MetricSource {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      if (reads.incrementAndGet() == 1) {
        throw PortException.transientFailure("UNAVAILABLE", null);
      }
      return Map.of();
    }

    @Override
    public Map<String, Double> memorystoreHitRatios(
        String project, Set<String> instanceIds, Instant start, Instant end) {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  @Test
  void aFailedReadStandsForOneCycleThenTheSameWindowIsReadAgain() {
    var clock = new VirtualClock(NOW);
    var source = new FlakySource();
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    batched.watch("a", scope, "checkout");
    batched.watch("b", scope, "cart");
    // A month's usage: the same window for the whole hour.
    var window = new Window(NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofMinutes(3)));
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS);

    assertThatThrownBy(() -> batched.read(scope, "checkout", window, kinds))
        .isInstanceOf(PortException.class);
    assertThatThrownBy(() -> batched.read(scope, "cart", window, kinds))
        .as("the other reconciles of the cycle share the failure")
        .isInstanceOf(PortException.class);
    assertThat(source.reads).hasValue(1);

    clock.set(NOW.plus(BatchedMetrics.FAILURE_KEPT));
    assertThat(batched.read(scope, "cart", window, kinds)).isEmpty();
    assertThat(batched.read(scope, "checkout", window, kinds)).isEmpty();
    assertThat(source.reads).as("one new read for the project, then shared").hasValue(2);
  }
}
