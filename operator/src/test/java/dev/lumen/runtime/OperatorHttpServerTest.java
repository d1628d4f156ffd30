package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.metrics.LumenMetrics;
import dev.lumen.metrics.LumenPrometheusRegistry;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void servesHealthReadinessAndPrometheusMetrics() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("lumen_test_events").increment(3);
    var ready = new AtomicBoolean(false);

    try (var server = OperatorHttpServer.start(0, ready::get, registry)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(metrics.body()).contains("lumen_test_events_total 3.0");
    }
  }

  @Test
  void aLargeScrapeIsStreamedAsItIsRenderedAndArrivesWhole() throws Exception {
    var registry = new LumenPrometheusRegistry();
    var metrics = new LumenMetrics(registry);
    int policies = 5_000;
    for (int i = 0; i < policies; i++) {
      metrics.record(
          Serialization.unmarshal(
              """
              apiVersion: lumen.dev/v1alpha1
              kind: LumenPolicy
              metadata: {name: svc-%d, namespace: shop}
              spec: {}
              status: {canaryWeight: 0, step: -1}
              """
                  .formatted(i),
              LumenPolicy.class));
    }

    try (var server = OperatorHttpServer.start(0, () -> true, registry)) {
      HttpResponse<String> scrape = get(server, "/metrics");

      // Chunked, not buffered whole to learn its length first.
      assertThat(scrape.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
      assertThat(scrape.headers().firstValue("Content-Length")).isEmpty();
      assertThat(scrape.body().lines().filter(l -> l.startsWith("lumen_policy_rollout_step{")))
          .hasSize(policies);
      assertThat(scrape.body()).endsWith("\n").contains("policy=\"svc-4999\"");
    }
  }

  private HttpResponse<String> get(OperatorHttpServer server, String path) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
