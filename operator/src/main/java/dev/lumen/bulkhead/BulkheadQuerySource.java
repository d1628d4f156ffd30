package dev.lumen.bulkhead;

import dev.lumen.engine.measure.Sample;
import dev.lumen.ports.CustomQuerySource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A query source whose calls go through its endpoint's bulkhead. */
final class BulkheadQuerySource implements CustomQuerySource {
  private final CustomQuerySource delegate;
  private final Bulkhead bulkhead;

  BulkheadQuerySource(CustomQuerySource delegate, Bulkhead bulkhead) {
    this.delegate = delegate;
    this.bulkhead = bulkhead;
  }

  @Override
  public List<Sample> series(String query, Instant start, Instant end, Duration step) {
    return bulkhead.call(() -> delegate.series(query, start, end, step));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
