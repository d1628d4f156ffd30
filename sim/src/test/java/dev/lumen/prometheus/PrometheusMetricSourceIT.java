package dev.lumen.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSourceContract;
import dev.lumen.testkit.RealPrometheus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud Run metrics through a real Prometheus: a loopback target exposes the contract's points as
 * Cloud Run's cumulative counters (Managed Prometheus names) as their times pass, in a 20-second
 * window, scraped every second. increase() extrapolates to the window's edges, so counts are
 * checked within 15 %.
 */
class PrometheusMetricSourceIT extends MetricSourceContract {
  static final FakeMetrics STATE = new FakeMetrics();
  static final Instant WINDOW_END = Instant.now().plusSeconds(35);
  static HttpServer target;
  static RealPrometheus prometheus;
  static PrometheusMetricSource source;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/metrics",
        exchange -> {
          byte[] body = exposition(Instant.now()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    target.start();
    prometheus = new RealPrometheus("127.0.0.1:" + target.getAddress().getPort(), dir);
    source = new PrometheusMetricSource(HttpEndpoint.of(prometheus.url()), Duration.ofSeconds(2));
  }

  /** The first test waits until the window is over and scraped. */
  @BeforeEach
  void waitForTheWindow() throws InterruptedException {
    long wait = Duration.between(Instant.now(), WINDOW_END.plusSeconds(3)).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    prometheus.close();
    target.stop(0);
  }

  /** Cumulative counters of every point whose time has come, per revision. */
  static String exposition(Instant now) {
    Map<String, long[]> requests = new HashMap<>();
    Map<String, long[]> latency = new HashMap<>();
    Map<String, double[]> other = new HashMap<>();
    Map<String, Double> instances = new HashMap<>();
    for (FakeMetrics.Point p : STATE.all()) {
      if (p.time().isAfter(now)) {
        continue;
      }
      String labels =
          "project_id=\""
              + p.project()
              + "\",location=\""
              + p.region()
              + "\",service_name=\""
              + p.service()
              + "\",revision_name=\""
              + p.revision()
              + "\"";
      long[] r = requests.computeIfAbsent(labels, k -> new long[3]);
      r[0] += p.requests().total() - p.requests().errors();
      r[1] += p.requests().clientErrors();
      r[2] += p.requests().serverErrors();
      long[] l =
          latency.computeIfAbsent(labels, k -> new long[FakeMetrics.LATENCY_BOUNDS.length + 1]);
      for (int i = 0; i < l.length; i++) {
        l[i] += p.latencyCounts()[i];
      }
      double[] o = other.computeIfAbsent(labels, k -> new double[2]);
      o[0] += p.billableInstanceSeconds();
      o[1] += p.coldStarts();
      instances.put(labels, p.instances());
    }
    StringBuilder out = new StringBuilder();
    String[] classes = {"2xx", "4xx", "5xx"};
    requests.forEach(
        (labels, r) -> {
          for (int i = 0; i < 3; i++) {
            out.append("run_googleapis_com:request_count{")
                .append(labels)
                .append(",response_code_class=\"")
                .append(classes[i])
                .append("\"} ")
                .append(r[i])
                .append('\n');
          }
        });
    latency.forEach(
        (labels, l) -> {
          long cumulative = 0;
          for (int i = 0; i < l.length; i++) {
            cumulative += l[i];
            String le =
                i < FakeMetrics.LATENCY_BOUNDS.length
                    ? Double.toString(FakeMetrics.LATENCY_BOUNDS[i])
                    : "+Inf";
            out.append("run_googleapis_com:request_latencies_bucket{")
                .append(labels)
                .append(",le=\"")
                .append(le)
                .append("\"} ")
                .append(cumulative)
                .append('\n');
          }
        });
    other.forEach(
        (labels, o) -> {
          out.append("run_googleapis_com:container_billable_instance_time{")
              .append(labels)
              .append("} ")
              .append(o[0])
              .append('\n');
          out.append("run_googleapis_com:container_startup_latencies_count{")
              .append(labels)
              .append("} ")
              .append(o[1])
              .append('\n');
        });
    instances.forEach(
        (labels, value) ->
            out.append("run_googleapis_com:container_instance_count{")
                .append(labels)
                .append("} ")
                .append(value)
                .append('\n'));
    Map<String, Double> ratios = new HashMap<>();
    for (FakeMetrics.RedisPoint p : STATE.allRedisPoints()) {
      if (!p.time().isAfter(now)) {
        ratios.put(
            "project_id=\"" + p.project() + "\",instance_id=\"" + p.instanceId() + "\"",
            p.hitRatio());
      }
    }
    ratios.forEach(
        (labels, value) ->
            out.append("redis_googleapis_com:stats_cache_hit_ratio{")
                .append(labels)
                .append("} ")
                .append(value)
                .append('\n'));
    return out.toString();
  }

  @Override
  protected FakeMetrics state() {
    return STATE;
  }

  @Override
  protected MetricSource port() {
    return source;
  }

  @Override
  protected Instant end() {
    return WINDOW_END;
  }

  @Override
  protected boolean evaluatesMonitoringFilters() {
    return false;
  }

  @Override
  protected boolean readsMinutes() {
    return false;
  }

  @Override
  protected Duration window() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected double tolerancePercent() {
    return 15;
  }
}
