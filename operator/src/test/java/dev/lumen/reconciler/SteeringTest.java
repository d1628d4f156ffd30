package dev.lumen.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.engine.rollout.Command;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Removing consumed steering annotations against an API server that, like a real one, answers 422
 * to a JSON patch removing a key that is not there.
 */
class SteeringTest {
  static EmbeddedApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void theServerRefusesToRemoveAMissingAnnotationAsARealOneDoes() {
    LumenPolicy policy = create("strict", Map.of("team", "shop"));

    assertThatThrownBy(
            () ->
                client
                    .resources(LumenPolicy.class)
                    .inNamespace("default")
                    .withName(policy.getMetadata().getName())
                    .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/lumen.dev~1abort\"}]"))
        .isInstanceOf(KubernetesClientException.class)
        .matches(e -> ((KubernetesClientException) e).getCode() == 422);
  }

  @Test
  void removesWhatIsThereAndTakesAnAlreadyRemovedAnnotationAsDone() {
    LumenPolicy policy =
        create(
            "steered", Map.of("lumen.dev/abort", "", "lumen.dev/hold-rollback", "", "team", "x"));
    // A person (or an earlier, interrupted removal) took one of them away already.
    Steering.remove(client, policy, List.of("lumen.dev/hold-rollback"));

    Steering.remove(client, policy, List.of("lumen.dev/abort", "lumen.dev/hold-rollback"));
    Steering.remove(client, policy, List.of("lumen.dev/abort"));

    assertThat(annotations("steered")).containsOnlyKeys("team");
  }

  @Test
  void aCommandCountsOnlyWithAnEmptyOrTrueValueAndEverythingElseIsSaid() {
    var policy = new LumenPolicy();
    policy.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withAnnotations(
                Map.of(
                    "lumen.dev/approve", "",
                    "lumen.dev/abort", "TRUE",
                    "lumen.dev/promote", "false",
                    "lumen.dev/aprove", "",
                    "team", "shop"))
            .build());

    assertThat(Steering.commands(policy)).containsExactlyInAnyOrder(Command.APPROVE, Command.ABORT);
    assertThat(Steering.ignored(policy))
        .containsExactly(
            "lumen.dev/aprove is not a Lumen command and is ignored; the commands are"
                + " lumen.dev/approve, lumen.dev/promote, lumen.dev/abort, lumen.dev/hold-rollback,"
                + " lumen.dev/release-rollback, lumen.dev/retry, lumen.dev/override-gates (remove it: kubectl annotate lp NAME"
                + " lumen.dev/aprove-)",
            "lumen.dev/promote=\"false\" is ignored: a command counts when its value is empty or"
                + " \"true\" (remove it: kubectl annotate lp NAME lumen.dev/promote-)");
  }

  LumenPolicy create(String name, Map<String, String> annotations) {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata:\n  name: "
                + name
                + "\n  annotations:\n");
    annotations.forEach(
        (k, v) -> yaml.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    yaml.append(
        "spec:\n  service: {cloudRun: {project: my-project, region: us-central1, name: web}}\n");
    client
        .load(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)))
        .inNamespace("default")
        .create();
    return client.resources(LumenPolicy.class).inNamespace("default").withName(name).get();
  }

  Map<String, String> annotations(String name) {
    return client
        .resources(LumenPolicy.class)
        .inNamespace("default")
        .withName(name)
        .get()
        .getMetadata()
        .getAnnotations();
  }
}
