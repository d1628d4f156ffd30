package dev.lumen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class LumenMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final LumenMetrics metrics = new LumenMetrics(registry);

  @Test
  void aDeletedPolicyLeavesNoSeriesBehindAndOthersKeepTheirs() {
    LumenPolicy checkout = policy("checkout");
    LumenPolicy search = policy("search");
    metrics.record(checkout);
    metrics.decision(checkout, "Rollback", true);
    metrics.record(search);
    metrics.decision(search, "Promote", true);

    metrics.forget(checkout);

    String scrape = registry.scrape();
    assertThat(scrape).doesNotContain("policy=\"checkout\"");
    assertThat(scrape).contains("lumen_policy_decisions_total{applied=\"true\",kind=\"Promote\"");
    assertThat(scrape).contains("policy=\"search\"");
  }

  static LumenPolicy policy(String name) {
    return Serialization.unmarshal(
        """
        apiVersion: lumen.dev/v1alpha1
        kind: LumenPolicy
        metadata: {name: %s, namespace: shop}
        spec:
          service: {cloudRun: {project: my-project, region: us-central1, name: %s}}
        """
            .formatted(name, name),
        LumenPolicy.class);
  }
}
