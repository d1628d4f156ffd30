package dev.lumen.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PromqlContract;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.RealPrometheus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter against a real Prometheus (Debian's package, installed by the build when missing)
 * that scrapes a loopback target every second.
 */
class PrometheusPromqlIT extends PromqlContract {
  static HttpServer target;
  static RealPrometheus prometheus;
  static URI url;
  static PrometheusMetricSource source;

  @TempDir static Path dir;

  @BeforeAll
  static void startPrometheus() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/metrics",
        exchange -> {
          byte[] body =
              ("lumen_contract_phase_diff 0.42\n"
                      + "lumen_contract_requests{code=\"200\"} 10\n"
                      + "lumen_contract_requests{code=\"500\"} 1\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    target.start();
    prometheus = new RealPrometheus("127.0.0.1:" + target.getAddress().getPort(), dir);
    url = prometheus.url();
    source = new PrometheusMetricSource(HttpEndpoint.of(url), Duration.ofSeconds(2));
    Await.until(
        () -> trySamples(),
        n -> n >= 3,
        "Prometheus at "
            + url
            + " to hold three scraped samples (log: "
            + dir.resolve("prometheus.log")
            + ")");
  }

  private static int trySamples() {
    try {
      Instant end = Instant.now();
      return source
          .promqlSeries(
              "shop", "lumen_contract_phase_diff", end.minusSeconds(20), end, Duration.ofSeconds(1))
          .size();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  protected MetricSource port() {
    return source;
  }

  @Override
  protected String singleSeriesQuery() {
    return "lumen_contract_phase_diff";
  }

  @Override
  protected double singleSeriesValue() {
    return 0.42;
  }

  @Override
  protected String multiSeriesQuery() {
    return "lumen_contract_requests";
  }

  @Override
  protected String malformedQuery() {
    return "sum(";
  }

  @Override
  protected MetricSource unreachable() {
    try {
      return new PrometheusMetricSource(
          HttpEndpoint.of(URI.create("http://127.0.0.1:" + freePort())), Duration.ofSeconds(1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
