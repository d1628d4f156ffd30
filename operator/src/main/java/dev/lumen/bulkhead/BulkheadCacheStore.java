package dev.lumen.bulkhead;

import dev.lumen.ports.CacheStore;
import java.time.Duration;
import java.util.Optional;

/** A cache whose calls go through its endpoint's bulkhead. */
final class BulkheadCacheStore implements CacheStore {
  private final CacheStore delegate;
  private final Bulkhead bulkhead;

  BulkheadCacheStore(CacheStore delegate, Bulkhead bulkhead) {
    this.delegate = delegate;
    this.bulkhead = bulkhead;
  }

  @Override
  public CacheCounters counters() {
    return bulkhead.call(delegate::counters);
  }

  @Override
  public Optional<Duration> ttl(String key) {
    return bulkhead.call(() -> delegate.ttl(key));
  }

  @Override
  public void setTtl(String key, Duration ttl) {
    bulkhead.run(() -> delegate.setTtl(key, ttl));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
