package dev.lumen.ports;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A cache held in memory, for engine and reconciler tests and the simulator. */
public final class InMemoryCacheStore implements CacheStore {
  private final Map<String, Duration> ttls = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private volatile String runId = "run-1";
  private volatile boolean down;

  /** Counts lookups as the application's traffic would. */
  public void recordLookups(long hitCount, long missCount) {
    hits.addAndGet(hitCount);
    misses.addAndGet(missCount);
  }

  /** A restart: new run id, counters from zero, data kept as with persistence. */
  public void restart() {
    runId = "run-" + (Long.parseLong(runId.substring(4)) + 1);
    hits.set(0);
    misses.set(0);
  }

  /** Makes every call fail as if the server were unreachable. */
  public void setDown(boolean down) {
    this.down = down;
  }

  @Override
  public CacheCounters counters() {
    checkUp();
    return new CacheCounters(hits.get(), misses.get(), runId);
  }

  @Override
  public Optional<Duration> ttl(String key) {
    checkUp();
    return Optional.ofNullable(ttls.get(key));
  }

  @Override
  public void setTtl(String key, Duration ttl) {
    checkUp();
    ttls.put(key, Duration.ofSeconds(ttl.toSeconds()));
  }

  private void checkUp() {
    if (down) {
      throw PortException.transientFailure("cache unreachable (simulated)", null);
    }
  }

  private volatile boolean closed;

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
