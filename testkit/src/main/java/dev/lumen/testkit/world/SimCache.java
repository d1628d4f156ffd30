package dev.lumen.testkit.world;

import dev.lumen.ports.InMemoryCacheStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

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
    /** Empty when the key is absent or the store does not answer. */
    Optional<String> get(String key);

    /** Whether the store answered the lookups. */
    boolean lookups(Random random, int count, double hitRate);

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

  static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

  private final Store store;
  private final Usage usage;
  private volatile NavigableMap<Instant, Duration> recordedRefresh = new TreeMap<>();

  private SimCache(Store store, Usage usage) {
    this.store = store;
    this.usage = usage;
  }

  /**
   * The application's cache in the Redis at {@code redisUrl}. Like an application that must not
   * stall on its cache, it gives Redis {@link #REDIS_TIMEOUT} a call, and treats a Redis that does
   * not answer as a cache that misses: its lookups go to the backend, it uses its default TTL.
   */
  public static SimCache inRedis(URI redisUrl, Usage usage) {
    return new SimCache(
        new RedisStore(new JedisPooled(redisUrl, (int) REDIS_TIMEOUT.toMillis())), usage);
  }

  /** The application's cache held by {@code cache}, which Lumen's backtest reads. */
  public static SimCache inMemory(InMemoryCacheStore cache, Usage usage) {
    return new SimCache(new MemoryStore(cache), usage);
  }

  /**
   * Replays a recording: from each time in {@code refreshTimes} entries are re-read that often, as
   * the recorded hit rate and TTL say, until the next; before the first, as the first.
   */
  public void replay(NavigableMap<Instant, Duration> refreshTimes) {
    recordedRefresh = new TreeMap<>(refreshTimes);
  }

  /** The hit rate the application has with {@code ttl}, 0 to 1. */
  private static double hitRate(Duration ttl, Duration refreshTime) {
    double seconds = ttl.toSeconds();
    return seconds / (seconds + refreshTime.toSeconds());
  }

  private Duration refreshTimeDuring(Instant minuteStart) {
    var recorded = recordedRefresh;
    if (recorded.isEmpty()) {
      return usage.refreshTime();
    }
    var entry = recorded.floorEntry(minuteStart);
    return (entry != null ? entry : recorded.firstEntry()).getValue();
  }

  /** The TTL the application uses now: Lumen's when published, else its own default. */
  public Duration ttl() {
    return store
        .get(usage.ttlKey())
        .map(published -> Duration.ofSeconds(Long.parseLong(published.trim())))
        .orElse(usage.defaultTtl());
  }

  /** What one minute of the application's lookups met: its TTL and hit rate. */
  record Served(Duration ttl, double hitRate) {}

  /** One minute of lookups; {@code random} is the world's, so a run is repeatable. */
  Served serveMinute(Random random, Instant minuteStart) {
    Duration ttl = ttl();
    double hitRate = hitRate(ttl, refreshTimeDuring(minuteStart));
    return store.lookups(random, usage.lookupsPerMinute(), hitRate)
        ? new Served(ttl, hitRate)
        : new Served(ttl, 0);
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
    }

    @Override
    public Optional<String> get(String key) {
      try {
        return Optional.ofNullable(redis.get(key));
      } catch (JedisException e) {
        return Optional.empty();
      }
    }

    /**
     * The cached entry is written again when it is gone (a restarted Redis has lost it), so that a
     * lookup meant to hit does; checking first keeps the lookups going while Redis refuses writes.
     */
    @Override
    public boolean lookups(Random random, int count, double hitRate) {
      try {
        if (!redis.exists(CACHED_KEY)) {
          redis.set(CACHED_KEY, "value");
        }
        try (var pipeline = redis.pipelined()) {
          for (int i = 0; i < count; i++) {
            pipeline.get(random.nextDouble() < hitRate ? CACHED_KEY : "sim:missing");
          }
          pipeline.sync();
        }
        return true;
      } catch (JedisException e) {
        return false;
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
    public boolean lookups(Random random, int count, double hitRate) {
      long hits = 0;
      for (int i = 0; i < count; i++) {
        hits += random.nextDouble() < hitRate ? 1 : 0;
      }
      cache.recordLookups(hits, count - hits);
      return true;
    }

    @Override
    public void close() {}
  }
}
