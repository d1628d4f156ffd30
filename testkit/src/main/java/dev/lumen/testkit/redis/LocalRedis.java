package dev.lumen.testkit.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, shipped by the embedded-redis artifact) on a free loopback port,
 * keeping nothing on disk: the demo's caches and the tests' Redis.
 */
public final class LocalRedis implements AutoCloseable {
  private final RedisServer server;
  private final Path dir;
  private final URI url;

  private LocalRedis(RedisServer server, Path dir, URI url) {
    this.server = server;
    this.dir = dir;
    this.url = url;
  }

  public static LocalRedis start() {
    try {
      int port;
      try (var socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path dir = Files.createTempDirectory("lumen-redis");
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("dir " + dir)
              .build();
      server.start();
      return new LocalRedis(server, dir, URI.create("redis://127.0.0.1:" + port + "/0"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a local redis-server: " + e.getMessage(), e);
    }
  }

  public URI url() {
    return url;
  }

  /** Stops the server as a crash would: what it held is gone, the port refuses connections. */
  public void stop() throws IOException {
    server.stop();
  }

  /**
   * Starts the server again on the same port, empty, with a new run id and counters from zero: a
   * Redis restarted without persistence, as Memorystore's basic tier comes back from maintenance.
   */
  public void startAgain() throws IOException {
    server.start();
  }

  /** {@link #stop()} then {@link #startAgain()}. */
  public void restart() throws IOException {
    stop();
    startAgain();
  }

  @Override
  public void close() throws IOException {
    server.stop();
    Files.deleteIfExists(dir);
  }
}
