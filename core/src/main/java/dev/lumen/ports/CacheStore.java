package dev.lumen.ports;

import java.time.Duration;
import java.util.Optional;

/** The service's cache: its lookup counters, and the TTL Lumen publishes for the application. */
public interface CacheStore extends AutoCloseable {
  /** The cache's cumulative hit and miss counters, as the server reports them now. */
  CacheCounters counters();

  /** The TTL published under {@code key}, or empty when none is. */
  Optional<Duration> ttl(String key);

  /** Publishes {@code ttl} (whole seconds) under {@code key}. */
  void setTtl(String key, Duration ttl);

  @Override
  void close();

  /**
   * Cumulative counters since the server started (or its statistics were reset).
   *
   * @param serverRunId changes when the server restarts, which also resets the counters
   */
  record CacheCounters(long hits, long misses, String serverRunId) {}
}
