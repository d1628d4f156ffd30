package dev.lumen.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.engine.measure.Sample;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Custom objectives in PromQL ({@code /api/v1/query_range}), against a Prometheus or against Cloud
 * Monitoring's Prometheus-compatible query API, the one Managed Service for Prometheus answers on.
 * A query must describe one series: none is no data, several is the user's error, reported with how
 * to fix it.
 */
public final class PromqlClient {
  private final PrometheusApi api;

  /** Over a Prometheus's API, as its metric source has it. */
  PromqlClient(PrometheusApi api) {
    this.api = api;
  }

  /**
   * Cloud Monitoring's query API over {@code project}'s metrics scope.
   *
   * @param base scheme, host and port, e.g. https://monitoring.googleapis.com
   * @param authorization the Authorization header of each request: a Google access token
   */
  public static PromqlClient cloudMonitoring(
      URI base, String project, Supplier<Optional<String>> authorization, Duration timeout) {
    return new PromqlClient(
        new PrometheusApi(
            URI.create(
                base.toString().replaceAll("/+$", "")
                    + "/v1/projects/"
                    + project
                    + "/location/global/prometheus"),
            authorization,
            new PrometheusApi.Server(
                "Cloud Monitoring's Prometheus API",
                "Lumen's Google identity",
                "the identity Lumen acts as (its own, or the service account of the namespace's"
                    + " LumenProjectBinding) needs monitoring.timeSeries.list on project "
                    + project
                    + ", e.g. roles/monitoring.viewer"),
            timeout));
  }

  public List<Sample> series(String query, Instant start, Instant end, Duration step) {
    JsonNode result =
        api.get(
                "query_range",
                Map.of(
                    "query",
                    query,
                    "start",
                    PrometheusApi.seconds(start),
                    "end",
                    PrometheusApi.seconds(end),
                    "step",
                    Math.max(1, step.toSeconds()) + "s"),
                query)
            .path("result");
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
      double v = PrometheusApi.parse(value.get(1).asText());
      if (!Double.isNaN(v)) {
        samples.add(new Sample(PrometheusApi.instant(value.get(0).asDouble()), v));
      }
    }
    return samples;
  }
}
