package dev.lumen.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.engine.observe.Sample;
import dev.lumen.ports.CustomQuerySource;
import dev.lumen.ports.PortException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Custom objectives in PromQL against a Prometheus-compatible HTTP API ({@code
 * /api/v1/query_range}), with a deadline on every request. Bad queries are permanent failures with
 * Prometheus' own message; an unreachable or overloaded server is transient.
 */
public final class PrometheusQuerySource implements CustomQuerySource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final Duration timeout;
  private final HttpClient http;

  public PrometheusQuerySource(URI baseUrl, Duration timeout) {
    this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public List<Sample> series(String query, Instant start, Instant end, Duration step) {
    String url =
        baseUrl
            + "api/v1/query_range?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&start="
            + seconds(start)
            + "&end="
            + seconds(end)
            + "&step="
            + Math.max(1, step.toSeconds())
            + "s";
    JsonNode body = get(url, query);
    JsonNode result = body.path("data").path("result");
    if (result.size() == 0) {
      return List.of();
    }
    if (result.size() > 1) {
      throw PortException.permanentFailure(
          "query \""
              + query
              + "\" returns "
              + result.size()
              + " series; a custom objective needs exactly one: aggregate it, e.g. sum(...) or max(...)",
          null);
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode value : result.get(0).path("values")) {
      double v = parse(value.get(1).asText());
      if (!Double.isNaN(v)) {
        samples.add(new Sample(instant(value.get(0).asDouble()), v));
      }
    }
    return samples;
  }

  private JsonNode get(String url, String query) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw PortException.transientFailure("Prometheus did not answer within " + timeout, e);
    } catch (IOException e) {
      throw PortException.transientFailure(
          "Prometheus unreachable at " + baseUrl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PortException.transientFailure("interrupted", e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw PortException.transientFailure(
          "Prometheus answered HTTP " + response.statusCode() + " without JSON", e);
    }
    if ("success".equals(body.path("status").asText())) {
      return body;
    }
    String error =
        body.path("errorType").asText("")
            + ": "
            + body.path("error").asText("HTTP " + response.statusCode());
    boolean badQuery = response.statusCode() == 400 || response.statusCode() == 422;
    return badQuery ? failPermanently(query, error) : failTransiently(error);
  }

  private static JsonNode failPermanently(String query, String error) {
    throw PortException.permanentFailure("query \"" + query + "\" failed: " + error, null);
  }

  private static JsonNode failTransiently(String error) {
    throw PortException.transientFailure("Prometheus failed: " + error, null);
  }

  private static double parse(String value) {
    return switch (value) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }

  private static String seconds(Instant instant) {
    return instant.getEpochSecond() + "." + String.format("%03d", instant.getNano() / 1_000_000);
  }

  private static Instant instant(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  /** Java 17's HttpClient has nothing to close; its threads end with it. */
  @Override
  public void close() {}
}
