package dev.lumen.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.http.BoundedExchange;
import dev.lumen.ports.HttpEndpoint;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Prometheus HTTP API ({@code /api/v1/...}) with a deadline on every request: a Prometheus's
 * own, or Cloud Monitoring's Prometheus-compatible one. Bad queries (HTTP 400/422) are permanent
 * failures carrying the server's message; refused credentials are permanent and say what to fix; an
 * unreachable, slow or failing server is transient.
 */
final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final Supplier<Optional<String>> authorization;
  private final Server server;
  private final Duration timeout;

  /**
   * Who answers, as messages name it, and what to do when it refuses a request (HTTP 401/403).
   *
   * @param credentials what the requests carry, as a refusal names it
   * @param advice what to fix after a refusal
   */
  record Server(String name, String credentials, String advice) {
    static final Server PROMETHEUS =
        new Server(
            "Prometheus",
            "the credentials from spec.source.prometheus.auth",
            "check the Secret, or give spec.source.prometheus.auth");
  }

  /** Lumen's queries return one series or a few; a larger answer is a query gone wrong. */
  static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  private final HttpClient http;

  PrometheusApi(HttpEndpoint endpoint, Duration timeout) {
    this(endpoint.url(), endpoint::authorization, Server.PROMETHEUS, timeout);
  }

  /**
   * @param authorization the Authorization header of the request about to be sent, asked for each
   *     request: a Google access token is short-lived and depends on whom the call acts for
   */
  PrometheusApi(
      URI baseUrl, Supplier<Optional<String>> authorization, Server server, Duration timeout) {
    this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
    this.authorization = authorization;
    this.server = server;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** GETs {@code api/v1/<endpoint>} and returns the {@code data} of a successful answer. */
  JsonNode get(String endpoint, Map<String, String> parameters, String query) {
    String url =
        baseUrl
            + "api/v1/"
            + endpoint
            + "?"
            + parameters.entrySet().stream()
                .map(
                    e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    Optional<String> credentials = authorization.get();
    credentials.ifPresent(value -> request.header("Authorization", value));
    HttpResponse<String> response;
    try {
      response = BoundedExchange.send(http, request.build(), MAX_RESPONSE_BYTES, timeout);
    } catch (BoundedExchange.ResponseTooLargeException e) {
      throw PortException.permanentFailure(
          server.name()
              + " answered \""
              + query
              + "\" with more than "
              + MAX_RESPONSE_BYTES / (1024 * 1024)
              + " MiB; the query must return one series",
          e);
    } catch (HttpTimeoutException e) {
      throw PortException.transientFailure(server.name() + " did not answer within " + timeout, e);
    } catch (IOException e) {
      throw PortException.transientFailure(
          server.name() + " unreachable at " + shown() + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PortException.transientFailure("interrupted", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw PortException.permanentFailure(
          server.name()
              + " at "
              + shown()
              + " refused "
              + (credentials.isPresent() ? server.credentials() : "a request without credentials")
              + " (HTTP "
              + response.statusCode()
              + googleMessage(response.body()).map(m -> ": " + m).orElse("")
              + "); "
              + server.advice(),
          null);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw PortException.transientFailure(
          server.name() + " answered HTTP " + response.statusCode() + " without JSON", e);
    }
    if ("success".equals(body.path("status").asText())) {
      return body.path("data");
    }
    // Prometheus says {"errorType", "error": text}; Google's front end {"error": {"message"}}.
    String error =
        body.path("error").isObject()
            ? body.path("error").path("message").asText("HTTP " + response.statusCode())
            : body.path("errorType").asText("")
                + ": "
                + body.path("error").asText("HTTP " + response.statusCode());
    if (response.statusCode() == 400 || response.statusCode() == 422) {
      throw PortException.permanentFailure("query \"" + query + "\" failed: " + error, null);
    }
    throw PortException.transientFailure(server.name() + " failed: " + error, null);
  }

  /** The message of Google's error shape, {"error": {"message": ...}}, if the body has one. */
  private static Optional<String> googleMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("error").path("message");
      return message.isTextual() ? Optional.of(message.asText()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The URL as messages show it: never with credentials, should a stored one still hold some. */
  String shown() {
    return baseUrl.getScheme()
        + "://"
        + baseUrl.getHost()
        + (baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort())
        + baseUrl.getRawPath();
  }

  static String seconds(Instant instant) {
    return instant.getEpochSecond() + "." + String.format("%03d", instant.getNano() / 1_000_000);
  }

  static Instant instant(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  static double parse(String value) {
    return switch (value) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }

  /** The JDK's connection errors often carry no message, only their type (ConnectException...). */
  private static String describe(IOException e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null
        ? cause.getMessage()
        : cause.getClass().getSimpleName() + " (host unknown or port closed)";
  }
}
