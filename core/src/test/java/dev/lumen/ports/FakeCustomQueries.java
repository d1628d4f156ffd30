package dev.lumen.ports;

import dev.lumen.engine.measure.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Canned answers to custom queries, for engine and reconciler tests and the simulator. */
public final class FakeCustomQueries implements CustomQuerySource {
  private final Map<String, List<Sample>> series = new ConcurrentHashMap<>();
  private final Map<String, PortException> failures = new ConcurrentHashMap<>();

  public void answer(String query, List<Sample> samples) {
    series.put(query, List.copyOf(samples));
  }

  public void fail(String query, PortException failure) {
    failures.put(query, failure);
  }

  @Override
  public List<Sample> series(String query, Instant start, Instant end, Duration step) {
    PortException failure = failures.get(query);
    if (failure != null) {
      throw failure;
    }
    return series.getOrDefault(query, List.of()).stream()
        .filter(s -> !s.time().isBefore(start) && !s.time().isAfter(end))
        .toList();
  }

  @Override
  public void close() {}
}
