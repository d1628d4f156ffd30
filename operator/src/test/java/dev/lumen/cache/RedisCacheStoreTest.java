package dev.lumen.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.CacheStore;
import dev.lumen.ports.CacheStoreContract;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.embedded.RedisServer;

/** The Redis adapter against a real redis-server (6.2, shipped by the embedded-redis artifact). */
class RedisCacheStoreTest extends CacheStoreContract {
  static int port;
  static RedisServer server;
  RedisCacheStore store;
  JedisPooled application;

  @BeforeAll
  static void startRedis() throws IOException {
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = new RedisServer(port);
    server.start();
  }

  @AfterAll
  static void stopRedis() throws IOException {
    server.stop();
  }

  @BeforeEach
  void connect() throws IOException {
    if (!server.isActive()) {
      server.start();
    }
    URI url = URI.create("redis://127.0.0.1:" + port + "/0");
    store = new RedisCacheStore(url, Duration.ofMillis(500), 4);
    application = new JedisPooled(url);
    application.set("contract:present", "value");
  }

  @AfterEach
  void disconnect() {
    store.close();
    application.close();
  }

  /**
   * Paused for longer than the deadline but not twice as long: a retry after the timeout would
   * succeed, and hold the reconcile for two deadlines on a Redis that is this slow.
   */
  @Test
  void aRedisSlowerThanTheDeadlineIsATransientFailureWithoutARetry() {
    application.sendCommand(Protocol.Command.CLIENT, "PAUSE", "800");
    assertThatThrownBy(() -> store.counters())
        .isInstanceOfSatisfying(
            PortException.class, e -> assertThat(e.isTransient()).as("transient").isTrue())
        .hasMessageContaining("timed out");
    assertThat(store.counters()).as("answers once the pause is over").isNotNull();
  }

  @Override
  protected CacheStore store() {
    return store;
  }

  /** The application's lookups: GETs of a key that exists (hits) and of ones that do not. */
  @Override
  protected void lookups(long hits, long misses) {
    for (long i = 0; i < hits; i++) {
      application.get("contract:present");
    }
    for (long i = 0; i < misses; i++) {
      application.get("contract:absent:" + i);
    }
  }

  @Override
  protected void restart() {
    try {
      server.stop();
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    // The application reconnects after a restart; writing does not count as a lookup.
    application.close();
    application = new JedisPooled(URI.create("redis://127.0.0.1:" + port + "/0"));
    application.set("contract:present", "value");
  }

  @Override
  protected void makeUnreachable() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void makeReachable() {
    try {
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
