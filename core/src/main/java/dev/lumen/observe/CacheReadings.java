package dev.lumen.observe;

import dev.lumen.engine.measure.CacheCounterWindow;
import dev.lumen.engine.measure.CacheCounterWindow.Reading;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.ports.CacheStore.CacheCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readings of each cache's cumulative counters over time, so that hits and misses can be counted
 * over a window. Redis only reports totals since it started, so a window needs two readings; the
 * history lives in memory and restarts with the operator (a window then has data again once two
 * readings fall inside it). Readings older than two hours are thinned to one an hour and dropped
 * after 31 days, which bounds a cache's history to about 850 readings.
 */
public final class CacheReadings {
  private static final Duration DENSE = Duration.ofHours(2);
  private static final Duration SPARSE_STEP = Duration.ofHours(1);
  private static final Duration RETAIN = Duration.ofDays(31);

  private record Timed(Instant time, Reading reading) {}

  private final Map<String, List<Timed>> byCache = new ConcurrentHashMap<>();

  public void record(String cache, Instant time, CacheCounters counters) {
    var reading = new Reading(counters.hits(), counters.misses(), counters.serverRunId());
    byCache.compute(
        cache,
        (key, list) -> {
          List<Timed> readings = list == null ? new ArrayList<>() : list;
          if (!readings.isEmpty() && !time.isAfter(readings.get(readings.size() - 1).time())) {
            return readings;
          }
          readings.add(new Timed(time, reading));
          thin(readings, time);
          return readings;
        });
  }

  /** Lookups in the last {@code length} before {@code now}; empty with fewer than two readings. */
  public Optional<CacheCounts> over(String cache, Instant now, Duration length) {
    List<Timed> readings = byCache.get(cache);
    if (readings == null) {
      return Optional.empty();
    }
    List<Reading> inWindow;
    synchronized (readings) {
      Instant start = now.minus(length);
      inWindow =
          readings.stream()
              .filter(t -> !t.time().isBefore(start) && !t.time().isAfter(now))
              .map(Timed::reading)
              .toList();
    }
    return inWindow.size() < 2
        ? Optional.empty()
        : Optional.of(CacheCounterWindow.between(inWindow));
  }

  public void forget(String cache) {
    byCache.remove(cache);
  }

  private static void thin(List<Timed> readings, Instant now) {
    synchronized (readings) {
      readings.removeIf(t -> t.time().isBefore(now.minus(RETAIN)));
      Instant denseFrom = now.minus(DENSE);
      Instant lastKept = null;
      List<Timed> kept = new ArrayList<>(readings.size());
      for (Timed t : readings) {
        boolean dense = !t.time().isBefore(denseFrom);
        if (dense || lastKept == null || !t.time().isBefore(lastKept.plus(SPARSE_STEP))) {
          kept.add(t);
          lastKept = t.time();
        }
      }
      readings.clear();
      readings.addAll(kept);
    }
  }
}
