package dev.lumen.testkit.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud Monitoring's Prometheus-compatible query API ({@code
 * /v1/projects/P/location/global/prometheus/api/v1/query_range}) on loopback HTTP, answering from a
 * {@link FakeMetrics}'s PromQL series (it evaluates no PromQL: each query text has its series). It
 * answers as the real API does: a matrix on success, HTTP 400 with Prometheus' error shape for a
 * bad query, 403 in Google's error shape for a project the caller may not read, 503 during an
 * outage; and it notes the bearer token of each call by project.
 */
public final class MonitoringPromqlFake implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("^/v1/projects/([^/]+)/location/global/prometheus/api/v1/query_range$");

  private final FakeMetrics metrics;
  private final HttpServer server;
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> bearersByProject = new ConcurrentHashMap<>();
  private volatile boolean available = true;

  public MonitoringPromqlFake(FakeMetrics metrics) {
    this.metrics = metrics;
    this.server = LoopbackHttp.start(this::serve);
  }

  /** http://127.0.0.1:PORT, the client's HTTP endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Calls for this project are refused (PERMISSION_DENIED), as for an identity without a role. */
  public void deny(String project) {
    denied.add(project);
  }

  /** An outage: every call answers 503 until it is over. */
  public void available(boolean up) {
    available = up;
  }

  /** Bearer tokens of the calls that named each project (empty for a call without one). */
  public Map<String, Set<String>> bearersByProject() {
    return new TreeMap<>(bearersByProject);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!"GET".equals(exchange.getRequestMethod()) || !path.matches()) {
        LoopbackHttp.respond(
            exchange, 404, LoopbackHttp.googleError(404, "NOT_FOUND", "no such method"));
        return;
      }
      String project = path.group(1);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      bearersByProject
          .computeIfAbsent(project, p -> ConcurrentHashMap.newKeySet())
          .add(
              authorization != null && authorization.startsWith("Bearer ")
                  ? authorization.substring("Bearer ".length())
                  : "");
      if (!available) {
        LoopbackHttp.respond(
            exchange,
            503,
            LoopbackHttp.googleError(503, "UNAVAILABLE", "The service is unavailable."));
        return;
      }
      if (denied.contains(project)) {
        LoopbackHttp.respond(
            exchange,
            403,
            LoopbackHttp.googleError(
                403,
                "PERMISSION_DENIED",
                "Permission monitoring.timeSeries.list denied (or the resource may not exist)."));
        return;
      }
      Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
      List<FakeMetrics.PromqlSeries> series;
      try {
        series =
            metrics.promqlRange(
                project,
                query.getOrDefault("query", ""),
                instant(query.get("start")),
                instant(query.get("end")),
                Duration.ofSeconds(Long.parseLong(query.get("step").replace("s", ""))));
      } catch (PortException e) {
        LoopbackHttp.respond(
            exchange,
            e.isTransient() ? 503 : 400,
            Map.of(
                "status",
                "error",
                "errorType",
                e.isTransient() ? "unavailable" : "bad_data",
                "error",
                e.getMessage()));
        return;
      } catch (RuntimeException e) {
        LoopbackHttp.respond(
            exchange,
            400,
            Map.of("status", "error", "errorType", "bad_data", "error", e.toString()));
        return;
      }
      LoopbackHttp.respond(exchange, 200, matrix(series));
    }
  }

  private static Map<String, Object> matrix(List<FakeMetrics.PromqlSeries> series) {
    List<Object> result = new ArrayList<>();
    for (var s : series) {
      List<Object> values = new ArrayList<>();
      for (var sample : s.samples()) {
        values.add(List.of(sample.time().toEpochMilli() / 1000.0, Double.toString(sample.value())));
      }
      result.add(Map.of("metric", s.labels(), "values", values));
    }
    return Map.of("status", "success", "data", Map.of("resultType", "matrix", "result", result));
  }

  private static Instant instant(String seconds) {
    return Instant.ofEpochMilli(Math.round(Double.parseDouble(seconds) * 1000));
  }

  private static Map<String, String> parameters(String raw) {
    Map<String, String> parameters = new HashMap<>();
    if (raw == null) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        parameters.put(
            pair.substring(0, equals),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
