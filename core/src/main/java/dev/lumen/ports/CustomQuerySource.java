package dev.lumen.ports;

import dev.lumen.engine.measure.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The values of a custom objective's query over time: PromQL for a Prometheus source. A query must
 * describe one series; none is no data, several is the user's error to fix.
 */
public interface CustomQuerySource extends AutoCloseable {
  /** Samples of {@code query} every {@code step} in [start, end], oldest first. */
  List<Sample> series(String query, Instant start, Instant end, Duration step);

  @Override
  void close();
}
