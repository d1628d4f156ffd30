package dev.lumen.sim;

import dev.lumen.ports.InMemoryCacheStore;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import redis.clients.jedis.JedisPooled;

/**
 * A service's application cache: every simulated minute the application reads the TTL Lumen
 * publishes and makes its lookups, which hit or miss. The hit rate follows the TTL as for entries
 * re-read on average every {@code refreshTime}: {@code ttl / (ttl + refreshTime)}. In a real Redis
 * the lookups are GETs of a key that exists or one that does not, so Redis' own counters show the
 * hit rate; in memory they are counted on an {@link InMemoryCacheStore} for the backtest.
 */
public final class SimCache implements AutoCloseable {
  /** Where the lookups land. */
  private interface Store extends AutoCloseable {
    Optional<String> get(String key);

    void lookups(Random random, int count, double hitRate);

    @Override
    void close();
  }

  /**
   * How the application uses its cache.
   *
   * @param ttlKey where Lumen publishes the TTL in seconds
   * @param defaultTtl the application's TTL while the key is absent
   * @param lookupsPerMinute enough that Lumen's own reads of the TTL key barely count
   */
  public record Usage(
      String ttlKey, Duration defaultTtl, Duration refreshTime, int lookupsPerMinute) {}

  private final Store store;
  private final Usage usage;

  private SimCache(Store store, Usage usage) {
    this.store = store;
    this.usage = usage;
  }

  /** The application's cache in the Redis at {@code redisUrl}. */
  public static SimCache inRedis(URI redisUrl, Usage usage) {
    return new SimCache(new RedisStore(new JedisPooled(redisUrl)), usage);
  }

  /** The application's cache held by {@code cache}, which Lumen's backtest reads. */
  public static SimCache inMemory(InMemoryCacheStore cache, Usage usage) {
    return new SimCache(new MemoryStore(cache), usage);
  }

  /** The hit rate the application has with {@code ttl}, 0 to 1. */
  public double hitRate(Duration ttl) {
    double seconds = ttl.toSeconds();
    return seconds / (seconds + usage.refreshTime().toSeconds());
  }

  /** The TTL the application uses now: Lumen's when published, else its own default. */
  public Duration ttl() {
    return store
        .get(usage.ttlKey())
        .map(published -> Duration.ofSeconds(Long.parseLong(published.trim())))
        .orElse(usage.defaultTtl());
  }

  /** One minute of lookups; {@code random} is the world's, so a run is repeatable. */
  void serveMinute(Random random) {
    store.lookups(random, usage.lookupsPerMinute(), hitRate(ttl()));
  }

  @Override
  public void close() {
    store.close();
  }

  private static final class RedisStore implements Store {
    private static final String CACHED_KEY = "sim:cached";
    private final JedisPooled redis;

    RedisStore(JedisPooled redis) {
      this.redis = redis;
      redis.set(CACHED_KEY, "value");
    }

    @Override
    public Optional<String> get(String key) {
      return Optional.ofNullable(redis.get(key));
    }

    @Override
    public void lookups(Random random, int count, double hitRate) {
      try (var pipeline = redis.pipelined()) {
        for (int i = 0; i < count; i++) {
          pipeline.get(random.nextDouble() < hitRate ? CACHED_KEY : "sim:missing");
        }
        pipeline.sync();
      }
    }

    @Override
    public void close() {
      redis.close();
    }
  }

  private record MemoryStore(InMemoryCacheStore cache) implements Store {
    @Override
    public Optional<String> get(String key) {
      return cache.ttl(key).map(ttl -> Long.toString(ttl.toSeconds()));
    }

    @Override
    public void lookups(Random random, int count, double hitRate) {
      long hits = 0;
      for (int i = 0; i < count; i++) {
        hits += random.nextDouble() < hitRate ? 1 : 0;
      }
      cache.recordLookups(hits, count - hits);
    }

    @Override
    public void close() {}
  }
}
