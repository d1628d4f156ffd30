package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.reconciler.slotarget.AlertRulesPublisher;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings.PrometheusRules;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.PrometheusOperatorCrd;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * An operator started with --prometheus-rules keeps a PrometheusRule beside each SLOTarget and
 * reports it in the SLOTarget's status; one started without drops the condition.
 */
class AlertRulesLoopIT {
  static final String NAME = "alerted";

  @Test
  void theOperatorPublishesTheRuleAndReportsIt() {
    try (var rig = new Rig(60, 5)) {
      PrometheusOperatorCrd.install(rig.client);
      rig.service(NAME);
      var settings =
          rig.settings()
              .withPrometheusRules(Optional.of(new PrometheusRules(Map.of("team", "shop"))));
      var registry = new SimpleMeterRegistry();
      try (var operator =
          LumenOperator.start(
              rig.client, settings, rig.clock, registry, rig.backends(registry, c -> c))) {
        rig.apply(
            NAME,
            """
            apiVersion: lumen.dev/v1alpha1
            kind: SLOTarget
            metadata: {name: alerted}
            spec:
              service: {cloudRun: {project: e2e-project, region: europe-west1, name: alerted}}
              evaluationInterval: 1m
              objectives:
                - {name: availability, availability: {target: "99.5"}}
            """);

        Condition published =
            awaitCondition(rig, c -> c.stream().anyMatch(AlertRulesLoopIT::isPublished));
        assertThat(published.message())
            .isEqualTo("PrometheusRule lumen-slo-alerted holds 10 rules");
        GenericKubernetesResource rule =
            rig.client
                .genericKubernetesResources(AlertRulesPublisher.PROMETHEUS_RULES)
                .inNamespace(NAME)
                .withName("lumen-slo-alerted")
                .get();
        assertThat(rule.getMetadata().getLabels()).containsEntry("team", "shop");
        assertThat(rule.getMetadata().getOwnerReferences())
            .singleElement()
            .satisfies(
                o -> assertThat(o.getUid()).isEqualTo(sloTarget(rig).getMetadata().getUid()));
      }

      var registry2 = new SimpleMeterRegistry();
      try (var withoutRules = rig.operator(registry2)) {
        awaitCondition(rig, c -> c.stream().noneMatch(AlertRulesLoopIT::isRulesCondition));
      }
    }
  }

  private static boolean isRulesCondition(Condition c) {
    return c.type().equals(Conditions.ALERT_RULES_PUBLISHED);
  }

  private static boolean isPublished(Condition c) {
    return isRulesCondition(c)
        && c.status() == Condition.Status.True
        && c.reason().equals(AlertRulesPublisher.REASON_PUBLISHED);
  }

  private static SLOTarget sloTarget(Rig rig) {
    return rig.client.resources(SLOTarget.class).inNamespace(NAME).withName(NAME).get();
  }

  /** The first status whose conditions pass {@code test}, and its AlertRulesPublished condition. */
  private static Condition awaitCondition(Rig rig, Predicate<List<Condition>> test) {
    List<Condition> conditions =
        Await.until(
            () ->
                Optional.ofNullable(sloTarget(rig).getStatus())
                    .map(s -> s.getConditions())
                    .filter(test)
                    .orElse(null),
            Rig.WAIT,
            "conditions of SLOTarget " + NAME);
    return conditions.stream().filter(AlertRulesLoopIT::isRulesCondition).findFirst().orElse(null);
  }
}
