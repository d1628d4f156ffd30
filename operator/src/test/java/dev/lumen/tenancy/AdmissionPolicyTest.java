package dev.lumen.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingStatus;
import dev.lumen.helm.RenderedChart;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, as rendered by Helm, evaluated with Google's CEL engine
 * (the one that checks the CRD rules offline) against the map the operator writes from the sample
 * binding on the embedded API server: what the API server would admit and refuse.
 */
class AdmissionPolicyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SAMPLE = Path.of("../samples/tenancy/lumenprojectbinding.yaml");
  static final String MAP_NAMESPACE = "lumen-system";
  static final String MAP_NAME = "lumen-operator-project-bindings";
  static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("params", SimpleType.DYN)
          .addVar("request", SimpleType.DYN)
          .build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  static JsonNode policy;
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static ClusterBindings bindings;
  static BindingPublisher publisher;

  @BeforeAll
  static void start() throws Exception {
    policy =
        RenderedChart.defaults().stream()
            .filter(o -> o.path("kind").asText().equals("ValidatingAdmissionPolicy"))
            .findFirst()
            .orElseThrow()
            .path("spec");
    api = EmbeddedApiServer.start();
    client = api.newClient();
    for (var namespace : List.of("default", "checkout", "storefront", "team-x")) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace)
                  .withLabels(namespace.equals("storefront") ? Map.of("team", "shop") : Map.of())
                  .endMetadata()
                  .build())
          .create();
    }
    client.load(Files.newInputStream(SAMPLE)).items().forEach(i -> client.resource(i).create());
    bindings = ClusterBindings.watch(client);
    publisher =
        BindingPublisher.start(
            client,
            Optional.of(new AdmissionMap.Location(MAP_NAMESPACE, MAP_NAME)),
            bindings,
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    publisher.close();
    bindings.close();
    client.close();
    api.close();
  }

  @Test
  void aResourceIsAdmittedOnlyForAServiceABindingGivesItsNamespace() throws Exception {
    Map<String, String> map = awaitMap(m -> m.containsKey("checkout.shop"));

    assertThat(admit(create("checkout", "shop-prod", "europe-west1", "checkout-api"), map))
        .as("named namespace, listed project and region, service matching checkout*")
        .isEmpty();
    assertThat(admit(create("storefront", "my-project", "us-central1", "ion-api"), map))
        .as("a namespace the binding selects by label")
        .isEmpty();
    assertThat(admit(create("team-x", "shop-prod", "europe-west1", "checkout-api"), map))
        .hasValue(
            "spec.service.cloudRun: no LumenProjectBinding gives namespace team-x project"
                + " shop-prod, region europe-west1 and service checkout-api; a cluster admin"
                + " allows it with a LumenProjectBinding (docs/security.md#multi-team-cluster)");
    assertThat(admit(create("checkout", "shop-prod", "europe-west1", "search"), map))
        .as("a service outside the binding's patterns")
        .isPresent();
    assertThat(admit(create("checkout", "shop-prod", "us-east1", "checkout-api"), map))
        .as("a region the binding does not list")
        .isPresent();
    assertThat(admit(create("checkout", "payments-prod", "europe-west1", "checkout-api"), map))
        .isPresent();
    assertThat(
            admit(
                update(
                    create("team-x", "shop-prod", "europe-west1", "checkout-api"),
                    "mode",
                    "DryRun"),
                map))
        .as("an edit that leaves the service alone is the operator's to judge")
        .isEmpty();

    client.resources(LumenProjectBinding.class).withName("shop").delete();
    Map<String, String> after = awaitMap(m -> !m.containsKey("checkout.shop"));
    assertThat(admit(create("checkout", "shop-prod", "europe-west1", "checkout-api"), after))
        .as("once the binding is deleted")
        .isPresent();
  }

  @Test
  void eachBindingSaysWhichNamespacesItBindsNow() {
    client
        .resource(
            binding("by-label", "namespaceSelector: {matchLabels: {team: shop}}", "shop-staging"))
        .create();
    client.resource(binding("ahead", "namespaces: [team-z, team-x]", "team-z-prod")).create();

    assertThat(awaitReady("by-label"))
        .satisfies(s -> assertThat(s.namespaces()).containsExactly("storefront"))
        .extracting(s -> s.conditions().get(0))
        .satisfies(
            ready -> {
              assertThat(ready.status()).isEqualTo(Condition.Status.True);
              assertThat(ready.reason()).isEqualTo(Conditions.REASON_NAMESPACES_BOUND);
              assertThat(ready.message())
                  .isEqualTo("binds namespaces storefront to projects shop-staging");
            });
    assertThat(awaitReady("ahead").conditions().get(0))
        .satisfies(
            ready -> {
              assertThat(ready.status()).isEqualTo(Condition.Status.True);
              assertThat(ready.message())
                  .isEqualTo(
                      "binds namespaces team-x to projects team-z-prod; named but not existing"
                          + " (yet): team-z");
            });

    client
        .resources(LumenProjectBinding.class)
        .withName("ahead")
        .edit(
            b -> {
              b.getSpec().namespaces().remove("team-x");
              return b;
            });
    Await.until(
        () -> client.resources(LumenProjectBinding.class).withName("ahead").get().getStatus(),
        s -> s != null && s.namespaces().isEmpty(),
        "the binding's status after its only existing namespace was taken out");
    var lonely = client.resources(LumenProjectBinding.class).withName("ahead").get().getStatus();
    assertThat(lonely.conditions().get(0).status()).isEqualTo(Condition.Status.False);
    assertThat(lonely.conditions().get(0).reason()).isEqualTo(Conditions.REASON_NO_NAMESPACE_BOUND);
    assertThat(lonely.observedGeneration()).isEqualTo(2L);
  }

  static ProjectBindingStatus awaitReady(String binding) {
    return Await.until(
        () -> client.resources(LumenProjectBinding.class).withName(binding).get().getStatus(),
        s -> s != null && !s.conditions().isEmpty(),
        "the status of binding " + binding);
  }

  static LumenProjectBinding binding(String name, String namespaces, String project) {
    return client
        .getKubernetesSerialization()
        .unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenProjectBinding
            metadata: {name: %s}
            spec:
              %s
              projects: [%s]
            """
                .formatted(name, namespaces, project),
            LumenProjectBinding.class);
  }

  /** Why the API server refuses the request; empty when it admits it. */
  static Optional<String> admit(Map<String, Object> request, Map<String, String> map)
      throws Exception {
    Map<String, Object> vars = new HashMap<>(request);
    vars.put("params", Map.of("data", map));
    for (JsonNode condition : policy.path("matchConditions")) {
      if (!Boolean.TRUE.equals(eval(condition.path("expression").asText(), vars))) {
        return Optional.empty();
      }
    }
    for (JsonNode validation : policy.path("validations")) {
      if (!Boolean.TRUE.equals(eval(validation.path("expression").asText(), vars))) {
        return Optional.of((String) eval(validation.path("messageExpression").asText(), vars));
      }
    }
    return Optional.empty();
  }

  static Object eval(String expression, Map<String, Object> vars) throws Exception {
    return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(vars);
  }

  static Map<String, Object> create(String namespace, String project, String region, String service)
      throws Exception {
    Map<String, Object> object =
        asMap(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenPolicy
            metadata: {name: api, namespace: %s}
            spec:
              service: {cloudRun: {project: %s, region: %s, name: %s}}
            """
                .formatted(namespace, project, region, service));
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", object);
    vars.put("oldObject", Map.of());
    vars.put("request", Map.of("namespace", namespace, "operation", "CREATE"));
    return vars;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> update(Map<String, Object> created, String field, String value) {
    Map<String, Object> old = (Map<String, Object>) created.get("object");
    Map<String, Object> spec = new HashMap<>((Map<String, Object>) old.get("spec"));
    spec.put(field, value);
    Map<String, Object> object = new HashMap<>(old);
    object.put("spec", spec);
    Map<String, Object> request = new HashMap<>((Map<String, Object>) created.get("request"));
    request.put("operation", "UPDATE");
    return Map.of("object", object, "oldObject", old, "request", request);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(String yaml) throws Exception {
    return JSON.convertValue(new YAMLMapper().readTree(yaml), Map.class);
  }

  static Map<String, String> awaitMap(java.util.function.Predicate<Map<String, String>> done) {
    return Await.until(
        () -> {
          ConfigMap map = client.configMaps().inNamespace(MAP_NAMESPACE).withName(MAP_NAME).get();
          return map == null || map.getData() == null ? null : Map.copyOf(map.getData());
        },
        m -> m != null && done.test(m),
        "the admission map");
  }
}
