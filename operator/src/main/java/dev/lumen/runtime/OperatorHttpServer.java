package dev.lumen.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code /healthz} (the process is alive), {@code /readyz} (the operator is started and its
 * informers are connected) and {@code /metrics} (Prometheus text format) on one port.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Threads that serve requests. The JDK server reads a request on one of them, so each connection
   * that sends an incomplete request holds one until {@link #MAX_REQUEST_SECONDS}; with this many,
   * a handful of half-open connections leave the probes untouched.
   */
  static final int THREADS = 16;

  /** Longest time a client may take to send its request; then the connection is closed. */
  static final int MAX_REQUEST_SECONDS = 5;

  /** Longest time a client may take to read a response (a slow scraper of a large /metrics). */
  static final int MAX_RESPONSE_SECONDS = 30;

  /** Bytes of the scrape written to the connection at a time. */
  private static final int SCRAPE_CHUNK = 1 << 16;

  static {
    // jdk.httpserver reads these (documented in its module summary) once, when the first server of
    // the process is created; without them a connection that never finishes its request holds a
    // thread for ever, and two such connections stopped the probes.
    setUnlessGiven("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    setUnlessGiven("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
  }

  private final HttpServer server;

  private OperatorHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving on {@code port} (0 picks a free port). */
  public static OperatorHttpServer start(
      int port, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newFixedThreadPool(THREADS, daemonThreads()));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean isReady = ready.getAsBoolean();
          respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ok\n" : "not ready\n");
        });
    server.createContext("/metrics", exchange -> scrape(exchange, registry));
    server.start();
    return new OperatorHttpServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The scrape, streamed as it is rendered (chunked). At 10,000 policies it is about 37 MB: held
   * whole, in a buffer grown by doubling, it took up to 100 MB of a heap sized for 512, in arrays
   * too large for the young generation.
   */
  private static void scrape(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", PROMETHEUS_TEXT);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), SCRAPE_CHUNK)) {
      registry.scrape(out, PROMETHEUS_TEXT);
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "lumen-http");
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void setUnlessGiven(String property, int seconds) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(seconds));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
