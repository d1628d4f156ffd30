package dev.lumen.cache;

import com.google.common.base.Throwables;
import dev.lumen.ports.CacheStore;
import dev.lumen.ports.PortException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The cache in Redis (or Memorystore), through a bounded Jedis pool. The URL comes from a Secret
 * and carries what Redis needs: {@code rediss://} for TLS, {@code user:password@} for AUTH, {@code
 * /N} for the database. Counters come from {@code INFO}; the TTL is a plain string key holding
 * whole seconds, which the application reads.
 */
public final class RedisCacheStore implements CacheStore {
  static final int RETRIES = 1;
  private final JedisPooled redis;

  /**
   * @param timeout deadline of every call, and of connecting
   * @param maxConnections upper bound of the connection pool
   */
  public RedisCacheStore(URI url, Duration timeout, int maxConnections) {
    var pool = new GenericObjectPoolConfig<Connection>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMaxWait(timeout);
    int millis = (int) timeout.toMillis();
    this.redis = new JedisPooled(pool, url, millis, millis);
  }

  @Override
  public CacheCounters counters() {
    Map<String, String> info = parse(call(() -> redis.info()));
    try {
      return new CacheCounters(
          Long.parseLong(info.get("keyspace_hits")),
          Long.parseLong(info.get("keyspace_misses")),
          info.getOrDefault("run_id", ""));
    } catch (NumberFormatException | NullPointerException e) {
      throw PortException.permanentFailure("INFO has no keyspace_hits/keyspace_misses", e);
    }
  }

  @Override
  public Optional<Duration> ttl(String key) {
    String value = call(() -> redis.get(key));
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      throw PortException.permanentFailure(
          "key " + key + " holds \"" + value + "\", not a whole number of seconds", e);
    }
  }

  @Override
  public void setTtl(String key, Duration ttl) {
    call(() -> redis.set(key, Long.toString(ttl.toSeconds())));
  }

  /**
   * Runs a command, once more on a connection error: after a Redis restart the pool still holds
   * dead connections, and the retry gets a fresh one. A timeout is not retried: a Redis too slow to
   * answer once within the deadline would only hold the reconcile for another.
   */
  private static <T> T call(Supplier<T> command) {
    for (int attempt = 1; ; attempt++) {
      try {
        return command.get();
      } catch (JedisConnectionException e) {
        if (attempt > RETRIES || Throwables.getRootCause(e) instanceof SocketTimeoutException) {
          throw PortException.transientFailure("Redis unreachable: " + e.getMessage(), e);
        }
      } catch (JedisException e) {
        throw PortException.permanentFailure("Redis refused: " + e.getMessage(), e);
      }
    }
  }

  /** INFO is "field:value" lines grouped under "# Section" headers. */
  static Map<String, String> parse(String info) {
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  @Override
  public void close() {
    redis.close();
  }
}
