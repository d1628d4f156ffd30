package dev.lumen.sim;

import java.net.URI;
import java.time.Duration;
import java.util.Random;
import redis.clients.jedis.JedisPooled;

/**
 * A service's application cache in a real Redis: every simulated minute the application reads the
 * TTL Lumen publishes and makes its lookups, as GETs that hit (a key that exists) or miss (one that
 * does not), so Redis' own counters show the hit rate. The hit rate follows the TTL as for entries
 * re-read on average every {@code refreshTime}: {@code ttl / (ttl + refreshTime)}.
 */
public final class SimCache implements AutoCloseable {
  private static final String CACHED_KEY = "sim:cached";

  private final JedisPooled redis;
  private final String ttlKey;
  private final Duration defaultTtl;
  private final Duration refreshTime;
  private final int lookupsPerMinute;

  /**
   * @param ttlKey where Lumen publishes the TTL in seconds
   * @param defaultTtl the application's TTL while the key is absent
   * @param lookupsPerMinute enough that Lumen's own reads of the TTL key barely count
   */
  public SimCache(
      URI redisUrl,
      String ttlKey,
      Duration defaultTtl,
      Duration refreshTime,
      int lookupsPerMinute) {
    this.redis = new JedisPooled(redisUrl);
    this.ttlKey = ttlKey;
    this.defaultTtl = defaultTtl;
    this.refreshTime = refreshTime;
    this.lookupsPerMinute = lookupsPerMinute;
    redis.set(CACHED_KEY, "value");
  }

  /** The hit rate the application has with {@code ttl}, 0 to 1. */
  public double hitRate(Duration ttl) {
    double seconds = ttl.toSeconds();
    return seconds / (seconds + refreshTime.toSeconds());
  }

  /** The TTL the application uses now: Lumen's when published, else its own default. */
  public Duration ttl() {
    String published = redis.get(ttlKey);
    return published == null ? defaultTtl : Duration.ofSeconds(Long.parseLong(published.trim()));
  }

  /** One minute of lookups; {@code random} is the world's, so a run is repeatable. */
  void serveMinute(Random random) {
    double hitRate = hitRate(ttl());
    try (var pipeline = redis.pipelined()) {
      for (int i = 0; i < lookupsPerMinute; i++) {
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
