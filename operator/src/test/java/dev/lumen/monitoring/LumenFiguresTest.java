package dev.lumen.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricWriter;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LumenFiguresTest {
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  final FakeMetrics cloudMonitoring = new FakeMetrics();
  final LumenFigures figures = new LumenFigures(cloudMonitoring);

  @Test
  void eachProjectIsWrittenOnceAMinuteInCallsOfAtMostTwoHundredSeries() {
    // 50 SLOTargets of 3 objectives: compliance, state and per objective value, budget and 4 burns.
    for (int i = 0; i < 50; i++) {
      figures.record(sloTarget("svc-" + i, "shop-prod"));
    }
    assertThat(figures.series()).isEqualTo(50 * (2 + 3 * 6));

    figures.flushDue(NOW);
    figures.flushDue(NOW.plusSeconds(30));

    assertThat(cloudMonitoring.writes())
        .extracting(w -> w.points().size())
        .containsExactly(200, 200, 200, 200, 200);
    assertThat(cloudMonitoring.writes())
        .allSatisfy(w -> assertThat(w.project()).isEqualTo("shop-prod"));

    figures.flushDue(NOW.plus(LumenFigures.INTERVAL));
    assertThat(cloudMonitoring.writes()).hasSize(10);
  }

  @Test
  void aDeletedResourceLeavesNoSeriesToWrite() {
    figures.record(sloTarget("checkout", "shop-prod"));
    figures.forget("SLOTarget", "shop", "checkout");

    figures.flushDue(NOW);

    assertThat(figures.series()).isZero();
    assertThat(cloudMonitoring.writes()).isEmpty();
  }

  @Test
  void decisionsAreCountedPerMinuteAndThePolicysFiguresWritten() {
    LumenPolicy policy = policy();
    figures.record(policy);
    figures.decision(policy, "Promoted");
    figures.decision(policy, "Promoted");

    figures.flushDue(NOW);
    figures.flushDue(NOW.plus(LumenFigures.INTERVAL));

    List<String> firstMinute = describe(cloudMonitoring.writes().get(0).points());
    assertThat(firstMinute)
        .contains(
            "custom.googleapis.com/lumen/decisions{decision=Promoted} 2.0",
            "custom.googleapis.com/lumen/canary_weight{} 20.0",
            "custom.googleapis.com/lumen/maturity_score{} 62.0",
            "custom.googleapis.com/lumen/roi_percent{} 410.0");
    assertThat(describe(cloudMonitoring.writes().get(1).points()))
        .noneMatch(p -> p.contains("/decisions"));
  }

  static List<String> describe(List<MetricWriter.Point> points) {
    List<String> out = new ArrayList<>();
    for (var p : points) {
      var labels = new java.util.TreeMap<>(p.series().labels());
      labels.remove("namespace");
      labels.remove("service");
      labels.remove("name");
      out.add(
          p.series().metricType()
              + labels.toString().replace(", ", ",").replace("{", "{").replace(" ", "")
              + " "
              + p.value());
    }
    return out;
  }

  static SLOTarget sloTarget(String name, String project) {
    SLOTarget target =
        Serialization.unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: SLOTarget
            metadata: {name: %s, namespace: shop}
            spec:
              service: {cloudRun: {project: %s, region: europe-west1, name: %s}}
              objectives: [{name: a, availability: {target: "99"}}]
            """
                .formatted(name, project, name),
            SLOTarget.class);
    var status = new SLOTargetStatus();
    status.setCompliance("66.7");
    status.setState(SLOTargetStatus.SloState.Warning);
    List<ObjectiveStatus> objectives = new ArrayList<>();
    for (String objective : List.of("availability", "latency", "errors")) {
      List<dev.lumen.api.v1alpha1.BurnRateStatus> burns = new ArrayList<>();
      for (String window : List.of("1h", "6h", "1d", "3d")) {
        burns.add(
            new dev.lumen.api.v1alpha1.BurnRateStatus(
                window, "5m", "1.5", "2", "14.4", "Page", false));
      }
      objectives.add(new ObjectiveStatus(objective, "99.1", "99", true, "40", burns, null));
    }
    status.setObjectives(objectives);
    target.setStatus(status);
    return target;
  }

  static LumenPolicy policy() {
    LumenPolicy policy =
        Serialization.unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenPolicy
            metadata: {name: checkout, namespace: shop}
            spec:
              service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
            """,
            LumenPolicy.class);
    var status = new LumenPolicyStatus();
    status.setCanaryWeight(20);
    status.setMaturity(
        new dev.lumen.api.v1alpha1.MaturityStatus("62", 4, "Quantitatively Managed", List.of()));
    status.setRoi("410");
    policy.setStatus(status);
    return policy;
  }
}
