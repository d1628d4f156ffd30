package dev.lumen.engine.measure;

import java.util.List;

/**
 * Hits and misses over a window from successive readings of cumulative counters. A restart of the
 * cache (a new run id) or a statistics reset (a counter going down) starts the counters from zero,
 * so the reading after it counts as lookups since the reset, never as a negative delta.
 */
public final class CacheCounterWindow {
  private CacheCounterWindow() {}

  /** One reading of the cumulative counters. */
  public record Reading(long hits, long misses, String runId) {}

  /** Lookups between the first and the last reading; empty readings give zero lookups. */
  public static CacheCounts between(List<Reading> readings) {
    long hits = 0;
    long misses = 0;
    for (int i = 1; i < readings.size(); i++) {
      Reading before = readings.get(i - 1);
      Reading after = readings.get(i);
      boolean reset =
          !after.runId().equals(before.runId())
              || after.hits() < before.hits()
              || after.misses() < before.misses();
      hits += reset ? after.hits() : after.hits() - before.hits();
      misses += reset ? after.misses() : after.misses() - before.misses();
    }
    return new CacheCounts(hits, misses);
  }
}
