package dev.lumen.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.engine.measure.Sample;
import dev.lumen.ports.CustomQuerySource;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.PortException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Custom objectives in PromQL against a Prometheus-compatible HTTP API ({@code
 * /api/v1/query_range}). A query must describe one series: none is no data, several is the user's
 * error, reported with how to fix it.
 */
public final class PrometheusQuerySource implements CustomQuerySource {
  private final PrometheusApi api;

  public PrometheusQuerySource(HttpEndpoint endpoint, Duration timeout) {
    this.api = new PrometheusApi(endpoint, timeout);
  }

  @Override
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

  /** Java 17's HttpClient has nothing to close; its threads end with it. */
  @Override
  public void close() {}
}
