package dev.lumen.reconciler.slotarget;

import static dev.lumen.reconciler.slotarget.AlertRulesPublisher.PROMETHEUS_RULES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.testkit.ExternalProgram;
import dev.lumen.testkit.PrometheusOperatorCrd;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule an SLOTarget gets with --prometheus-rules, written to the embedded API server
 * with the Prometheus Operator's CRD installed, and checked with the real promtool.
 */
class AlertRulesPublisherTest {
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());
  static final String NAMESPACE = "shop";
  static final String CHECKOUT =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: SLOTarget
      metadata: {name: checkout}
      spec:
        service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
        source: {prometheus: {url: "http://prometheus:9090"}}
        objectives:
          - {name: availability, availability: {target: "99.9"}}
          - {name: latency-p95, latency: {percentile: 95, threshold: 300ms}}
          - {name: queue-depth, custom: {query: "sum(queue_depth)", max: "100", for: 5m}}
          - {name: hits, cacheHitRate: {min: "80"}}
      """;

  EmbeddedApiServer api;
  KubernetesClient client;
  VirtualClock clock = new VirtualClock(Instant.parse("2026-03-02T10:00:00Z"));
  AlertRulesPublisher publisher;

  @BeforeEach
  void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
    PrometheusOperatorCrd.install(client);
    publisher = new AlertRulesPublisher(client, Map.of("release", "prometheus"), clock);
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void anSloTargetGetsAnOwnedRuleThatPromtoolAccepts(@TempDir Path dir) throws Exception {
    SLOTarget checkout = create(CHECKOUT);

    var outcome = publisher.publish(checkout);

    assertThat(outcome.status()).isEqualTo(Condition.Status.True);
    assertThat(outcome.reason()).isEqualTo(AlertRulesPublisher.REASON_PUBLISHED);
    assertThat(outcome.message())
        .startsWith("PrometheusRule lumen-slo-checkout holds ")
        .contains("no alert for objective hits: cache hit rate");
    GenericKubernetesResource rule = rules().withName("lumen-slo-checkout").get();
    var owner = rule.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getUid()).isEqualTo(checkout.getMetadata().getUid());
    assertThat(owner.getKind()).isEqualTo("SLOTarget");
    assertThat(owner.getController()).isTrue();
    assertThat(rule.getMetadata().getLabels())
        .containsEntry("release", "prometheus")
        .containsEntry(AlertRulesPublisher.MANAGED_BY_LABEL, "lumen");
    assertThat(alerts(rule))
        .containsExactlyInAnyOrder(
            "LumenErrorBudgetBurn/warning/page",
            "LumenErrorBudgetBurn/warning/ticket",
            "LumenErrorBudgetBurn/warning/page",
            "LumenErrorBudgetBurn/warning/ticket",
            "LumenSliAbsent/warning/null",
            "LumenSliAbsent/warning/null",
            "LumenCustomObjectiveOutOfBounds/warning/null",
            "LumenSliAbsent/warning/null");

    // What landed in the cluster is a rules file Prometheus loads.
    Path file = dir.resolve("rules.yaml");
    Files.writeString(
        file,
        client.getKubernetesSerialization().asYaml(rule.getAdditionalProperties().get("spec")));
    var check =
        ExternalProgram.run(
            dir, Duration.ofSeconds(60), List.of("promtool", "check", "rules", file.toString()));
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void theRuleFollowsSpecEditsAndHandEditsAreRepaired() {
    SLOTarget checkout = create(CHECKOUT);
    publisher.publish(checkout);
    assertThat(expressions()).anyMatch(e -> e.contains("0.001"));

    checkout = edit(CHECKOUT.replace("\"99.9\"", "\"99.5\""));
    assertThat(publisher.publish(checkout).reason())
        .isEqualTo(AlertRulesPublisher.REASON_PUBLISHED);
    assertThat(expressions())
        .anyMatch(e -> e.contains("0.005"))
        .noneMatch(e -> e.contains("0.001"));

    rules().withName("lumen-slo-checkout").delete();
    publisher.publish(checkout);
    assertThat(rules().withName("lumen-slo-checkout").get())
        .as("not read back until the recheck is due")
        .isNull();

    clock.advance(AlertRulesPublisher.RECHECK);
    publisher.publish(checkout);
    assertThat(expressions()).anyMatch(e -> e.contains("0.005"));
  }

  @Test
  void aRuleSomeoneElseOwnsIsLeftAlone() {
    var foreign =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("monitoring.coreos.com/v1")
            .withKind("PrometheusRule")
            .withNewMetadata()
            .withName("lumen-slo-checkout")
            .endMetadata()
            .addToAdditionalProperties("spec", Map.of("groups", List.of()))
            .build();
    rules().resource(foreign).create();

    var outcome = publisher.publish(create(CHECKOUT));

    assertThat(outcome.status()).isEqualTo(Condition.Status.False);
    assertThat(outcome.reason()).isEqualTo(AlertRulesPublisher.REASON_NOT_OWNED);
    assertThat(outcome.message()).contains("lumen-slo-checkout", "not owned by this SLOTarget");
    assertThat(rules().withName("lumen-slo-checkout").get().getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("groups", List.of()));
  }

  @Test
  void anSloTargetWithNothingToAlertOnGetsNoRule() {
    SLOTarget hits =
        create(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: SLOTarget
            metadata: {name: hits}
            spec:
              service: {cloudRun: {project: shop-prod, region: europe-west1, name: hits}}
              objectives:
                - {name: hits, cacheHitRate: {min: "80"}}
            """);

    var outcome = publisher.publish(hits);

    assertThat(outcome.status()).isEqualTo(Condition.Status.True);
    assertThat(outcome.reason()).isEqualTo(AlertRulesPublisher.REASON_NOTHING_TO_ALERT_ON);
    assertThat(rules().list().getItems()).isEmpty();
  }

  @Test
  void withoutThePrometheusOperatorTheConditionSaysWhatToInstall() {
    try (var bare = EmbeddedApiServer.start();
        var bareClient = bare.newClient()) {
      var withoutCrd = new AlertRulesPublisher(bareClient, Map.of(), clock);
      SLOTarget checkout = create(CHECKOUT);

      var outcome = withoutCrd.publish(checkout);

      assertThat(outcome.status()).isEqualTo(Condition.Status.False);
      assertThat(outcome.reason()).isEqualTo(AlertRulesPublisher.REASON_CRD_MISSING);
      assertThat(outcome.message()).contains("install the Prometheus Operator's CRDs");
    }
  }

  @Test
  void longNamesAreShortenedToDistinctValidNames() {
    String a = "a".repeat(250) + "-one";
    String b = "a".repeat(250) + "-two";
    assertThat(AlertRulesPublisher.ruleName(a)).hasSize(253).startsWith("lumen-slo-aaa");
    assertThat(AlertRulesPublisher.ruleName(a)).isNotEqualTo(AlertRulesPublisher.ruleName(b));
    assertThat(AlertRulesPublisher.ruleName("checkout")).isEqualTo("lumen-slo-checkout");
  }

  private SLOTarget create(String yaml) {
    var target = client.getKubernetesSerialization().unmarshal(yaml, SLOTarget.class);
    var created =
        client.resources(SLOTarget.class).inNamespace(NAMESPACE).resource(target).create();
    created.setSpec(VALIDATOR.withDefaults(created).getSpec());
    return created;
  }

  /** Replaces the spec, as kubectl apply of an edited file does. */
  private SLOTarget edit(String yaml) {
    var spec = client.getKubernetesSerialization().unmarshal(yaml, SLOTarget.class).getSpec();
    var edited =
        client
            .resources(SLOTarget.class)
            .inNamespace(NAMESPACE)
            .withName(spec.service().cloudRun().name())
            .edit(
                t -> {
                  t.setSpec(spec);
                  return t;
                });
    edited.setSpec(VALIDATOR.withDefaults(edited).getSpec());
    return edited;
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      rules() {
    return client.genericKubernetesResources(PROMETHEUS_RULES).inNamespace(NAMESPACE);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> ruleList(GenericKubernetesResource rule) {
    var spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    var groups = (List<Map<String, Object>>) spec.get("groups");
    return (List<Map<String, Object>>) groups.get(0).get("rules");
  }

  @SuppressWarnings("unchecked")
  private static List<String> alerts(GenericKubernetesResource rule) {
    return ruleList(rule).stream()
        .filter(r -> r.containsKey("alert"))
        .map(
            r -> {
              var labels = (Map<String, Object>) r.get("labels");
              return r.get("alert") + "/" + labels.get("severity") + "/" + labels.get("burn");
            })
        .toList();
  }

  private List<String> expressions() {
    return ruleList(rules().withName("lumen-slo-checkout").get()).stream()
        .map(r -> String.valueOf(r.get("expr")))
        .toList();
  }
}
