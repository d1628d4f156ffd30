package dev.lumen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.testkit.ExternalProgram;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LumenMetricsTest {
  final PrometheusMeterRegistry registry = new LumenPrometheusRegistry();
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

  @Test
  void aStateAndAGateResultAreOneSeriesEachLabelledWithTheCurrentValue() {
    LumenPolicy checkout = policy("checkout");
    var status = new LumenPolicyStatus();
    status.setGates(List.of(new GateStatus("slo", GateStatus.Result.Fail, "98.1", "below 99")));
    checkout.setStatus(status);
    SLOTarget target =
        Serialization.unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: SLOTarget
            metadata: {name: checkout, namespace: shop}
            spec:
              service: {cloudRun: {project: my-project, region: us-central1, name: checkout}}
            """,
            SLOTarget.class);
    var sloStatus = new SLOTargetStatus();
    sloStatus.setState(SLOTargetStatus.SloState.Critical);
    target.setStatus(sloStatus);

    metrics.record(checkout);
    metrics.record(target);

    assertThat(registry.scrape().lines().filter(l -> l.startsWith("lumen_")))
        .containsExactlyInAnyOrder(
            "lumen_policy_canary_weight_percent{namespace=\"shop\",policy=\"checkout\","
                + "service=\"checkout\"} 0.0",
            "lumen_policy_rollout_step{namespace=\"shop\",policy=\"checkout\","
                + "service=\"checkout\"} -1.0",
            "lumen_policy_gate{gate=\"slo\",namespace=\"shop\",policy=\"checkout\","
                + "result=\"Fail\",service=\"checkout\"} 1.0",
            "lumen_slo_state{namespace=\"shop\",service=\"checkout\",slotarget=\"checkout\","
                + "state=\"Critical\"} 1.0");

    sloStatus.setState(SLOTargetStatus.SloState.Healthy);
    metrics.record(target);
    assertThat(registry.scrape().lines().filter(l -> l.startsWith("lumen_slo_state")))
        .singleElement()
        .asString()
        .contains("state=\"Healthy\"");
  }

  /**
   * The gauges are rendered by Lumen, not by Prometheus' writer: the whole scrape, with a label
   * value that needs escaping, must parse with the real promtool, and each family must have one
   * HELP and TYPE however many resources serve it.
   */
  @Test
  void theScrapeParsesAsPrometheusTextWithEscapedLabelValues(@TempDir Path dir) throws Exception {
    LumenPolicy checkout = policy("checkout");
    var status = new LumenPolicyStatus();
    status.setConditions(
        List.of(
            new dev.lumen.api.v1alpha1.Condition(
                "Ready",
                dev.lumen.api.v1alpha1.Condition.Status.False,
                1L,
                "2026-12-06T12:00:00Z",
                "Bad\\\"Reason\n",
                "m")));
    checkout.setStatus(status);
    metrics.record(checkout);
    LumenPolicy search = policy("search");
    search.setStatus(new LumenPolicyStatus());
    metrics.record(search);
    metrics.decision(search, "Promote", true);

    Path scrape = dir.resolve("scrape.txt");
    Files.writeString(scrape, registry.scrape());
    var check =
        ExternalProgram.run(
            dir,
            Duration.ofSeconds(60),
            List.of("sh", "-c", "promtool check metrics < scrape.txt"));

    assertThat(check.output()).doesNotContain("parsing error");
    assertThat(check.exitCode()).as(check.output()).isNotEqualTo(1);
    assertThat(registry.scrape())
        .contains("reason=\"Bad\\\\\\\"Reason\\n\"")
        .containsOnlyOnce("# TYPE lumen_policy_canary_weight_percent gauge");
  }

  /** OpenMetrics ends with "# EOF": the per-resource gauges come before it, not after. */
  @Test
  void anOpenMetricsScrapeCarriesTheGaugesBeforeItsEnd() {
    LumenPolicy checkout = policy("checkout");
    checkout.setStatus(new LumenPolicyStatus());
    metrics.record(checkout);

    String scrape = registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");

    assertThat(scrape).contains("lumen_policy_rollout_step{").endsWith("# EOF\n");
    assertThat(scrape).containsOnlyOnce("# EOF");
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
