package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.BadInputCorpus;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus applied to a running operator (the embedded API server checks no schema, so
 * every case reaches Lumen, as it would under an older or hand-edited CRD): each is reported
 * Ready=False naming its field, and a rollout elsewhere goes on as if nothing happened.
 */
class BadInputIT {
  static final String CORPUS = "corpus";
  static final int MAX_CONDITION_MESSAGE = 32_768;

  @Test
  void everyBadResourceIsReportedAndTheOthersAreStillServed() {
    try (var rig = new Rig(60, 21);
        var operator = rig.operator(new SimpleMeterRegistry())) {
      BadInputCorpus.SECRETS.forEach(
          (name, value) -> rig.secret(CORPUS, name, Map.of(BadInputCorpus.SECRET_KEY, value)));
      var checkout = rig.service(BadInputCorpus.SLO_TARGET);
      rig.apply(
          CORPUS,
          """
          apiVersion: lumen.dev/v1alpha1
          kind: SLOTarget
          metadata: {name: checkout}
          spec:
            service: {cloudRun: {project: e2e-project, region: europe-west1, name: checkout}}
            objectives: [{name: availability, availability: {target: "99.5"}}]
          """);
      // 100 requests a second: enough for the two steps to show the canary within mustCatch in a
      // few minutes. At 10 a second the last step holds about an hour for the evidence, which at
      // the rig's speed is the whole of Rig.WAIT.
      var steady = rig.service("steady", 6000);
      rig.apply(
          "steady",
          Rig.policy(
              "steady",
              steady,
              "Enforce",
              "  rollout:\n    steps: [{weight: 20, pause: 2m}, {weight: 100}]\n"));
      rig.awaitReady("steady");

      List<BadInputCorpus.Case> cases = BadInputCorpus.cases();
      for (var c : cases) {
        var resource =
            rig.client
                .getKubernetesSerialization()
                .convertValue(
                    BadInputCorpus.inNamespace(c, CORPUS), GenericKubernetesResource.class);
        rig.client.genericKubernetesResources(context(c.kind())).resource(resource).create();
      }
      rig.google.world().deploy(steady, "steady-00002", Behaviour.HEALTHY, rig.clock.instant());

      for (var c : cases) {
        JsonNode ready =
            Await.until(
                () -> readyCondition(rig, c).orElse(null), Rig.WAIT, "Ready condition of " + c);
        assertThat(ready.path("status").asText()).as("%s", c).isEqualTo("False");
        assertThat(ready.path("message").asText())
            .as("%s", c)
            .contains(c.field())
            .hasSizeLessThan(MAX_CONDITION_MESSAGE);
      }
      rig.awaitStatus("steady", s -> "steady-00002".equals(s.getStableRevision()));
      assertThat(operator.isReady()).isTrue();
    }
  }

  private static ResourceDefinitionContext context(String kind) {
    return ResourceDefinitionContext.fromResourceType(
        kind.equals("SLOTarget") ? SLOTarget.class : LumenPolicy.class);
  }

  private static Optional<JsonNode> readyCondition(Rig rig, BadInputCorpus.Case c) {
    GenericKubernetesResource resource =
        rig.client
            .genericKubernetesResources(context(c.kind()))
            .inNamespace(CORPUS)
            .withName(c.name())
            .get();
    JsonNode tree = rig.client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
    for (JsonNode condition : tree.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        return Optional.of(condition);
      }
    }
    return Optional.empty();
  }
}
