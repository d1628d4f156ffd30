package dev.lumen.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import dev.lumen.rules.OperatorAlertRules;
import dev.lumen.rules.RulesYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart under helm/ on the real Helm engine (helm-java bundles Helm as a native library): lint,
 * then template with default and non-default values and check the rendered objects.
 */
class HelmChartTest {
  static final Path CHART = Path.of("../helm/lumen-operator");
  static final Path OPERATOR_ALERTS = CHART.resolve("files/operator-alerts.yaml");
  static final YAMLMapper YAML = new YAMLMapper();

  static final String KUBERNETES = RenderedChart.KUBERNETES;

  @Test
  void lintsCleanly() {
    var lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderAHardenedClusterWideOperator() throws IOException {
    List<JsonNode> objects = template(List.of());

    assertThat(kinds(objects))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "ClusterRole",
            "ClusterRole",
            "Role",
            "RoleBinding",
            "Role",
            "RoleBinding",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "Service",
            "Deployment");
    JsonNode pod = only(objects, "Deployment").path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    JsonNode security = container.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(security.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    assertThat(texts(container.path("args")))
        .as("one replica elects itself too: a rolling upgrade runs two pods side by side")
        .contains(
            "run",
            "--port=8080",
            "--monitoring-calls-per-minute=600",
            "--cloud-run-calls-per-minute=600",
            "--leader-election",
            "--lease-name=lumen-operator",
            "--lease-namespace=lumen-system",
            "--tenancy=bound",
            "--admission-map=lumen-system/lumen-operator-project-bindings")
        .noneMatch(
            a ->
                a.startsWith("--namespaces")
                    || a.startsWith("--prometheus-rules")
                    || a.startsWith("--cloud-monitoring-"));
    assertThat(texts(pod.path("volumes").findValues("name"))).contains("tmp");

    assertThat(rules(objects)).isNotEmpty().allSatisfy(HelmChartTest::hasNoWildcard);
    assertThat(rules(objects))
        .as("secrets are read one by one, never listed or watched")
        .filteredOn(r -> texts(r.path("resources")).contains("secrets"))
        .singleElement()
        .satisfies(r -> assertThat(texts(r.path("verbs"))).containsExactly("get"));
    assertThat(rules(objects))
        .as("PrometheusRules only with sloAlertRules.enabled")
        .noneMatch(r -> texts(r.path("resources")).contains("prometheusrules"));
    assertThat(rules(objects))
        .as("SLOTargets are patched (their finalizer) only with cloudMonitoringObjects.enabled")
        .noneMatch(
            r ->
                texts(r.path("resources")).equals(List.of("slotargets"))
                    && texts(r.path("verbs")).contains("patch"));
  }

  @Test
  void cloudMonitoringObjectsAddTheFlagAndTheRightToHoldSloTargets(@TempDir Path dir)
      throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        "cloudMonitoringObjects: {enabled: true}\ncloudMonitoringFigures: {enabled: true}\n");
    List<JsonNode> objects = template(List.of(values));

    assertThat(texts(only(objects, "Deployment").findValue("args")))
        .contains("--cloud-monitoring-objects", "--cloud-monitoring-figures");
    assertThat(rules(objects))
        .anySatisfy(
            r -> {
              assertThat(texts(r.path("resources"))).containsExactly("slotargets");
              assertThat(texts(r.path("verbs"))).containsExactly("patch");
            });
  }

  @Test
  void shardsAreOneDeploymentEachWithItsShardItsPodsAndItsDisruptionBudget(@TempDir Path dir)
      throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, "shards: 3\nreplicaCount: 2\n");
    List<JsonNode> objects = template(List.of(values));

    var deployments = objects.stream().filter(o -> o.path("kind").asText().equals("Deployment"));
    assertThat(deployments.map(d -> d.path("metadata").path("name").asText()))
        .containsExactly(
            "lumen-operator-shard-0", "lumen-operator-shard-1", "lumen-operator-shard-2");
    for (int shard = 0; shard < 3; shard++) {
      JsonNode deployment = named(objects, "Deployment", "lumen-operator-shard-" + shard);
      assertThat(texts(deployment.findValue("args")))
          .contains("--shard=" + shard + "/3", "--leader-election", "--lease-name=lumen-operator");
      assertThat(
              deployment
                  .path("spec")
                  .path("selector")
                  .path("matchLabels")
                  .path("lumen.dev/shard")
                  .asText())
          .isEqualTo(String.valueOf(shard));
      assertThat(
              deployment
                  .path("spec")
                  .path("template")
                  .path("metadata")
                  .path("labels")
                  .path("lumen.dev/shard")
                  .asText())
          .isEqualTo(String.valueOf(shard));
      assertThat(
              named(objects, "PodDisruptionBudget", "lumen-operator-shard-" + shard)
                  .path("spec")
                  .path("selector")
                  .path("matchLabels")
                  .path("lumen.dev/shard")
                  .asText())
          .isEqualTo(String.valueOf(shard));
    }
    // One shard is the one Deployment of before: same name, same selector, no flag.
    JsonNode single = only(template(List.of()), "Deployment");
    assertThat(single.path("metadata").path("name").asText()).isEqualTo("lumen-operator");
    assertThat(single.path("spec").path("selector").path("matchLabels").has("lumen.dev/shard"))
        .isFalse();
    assertThat(texts(single.findValue("args"))).noneMatch(a -> a.startsWith("--shard"));
  }

  static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void theAdmissionPolicyIsShippedOnlyWhereItCanWork(@TempDir Path dir) throws IOException {
    Path singleTeam = dir.resolve("single-team.yaml");
    Files.writeString(singleTeam, "tenancy: single-team\n");
    Path disabled = dir.resolve("disabled.yaml");
    Files.writeString(disabled, "admissionPolicy: {enabled: false}\n");

    for (List<JsonNode> objects :
        List.of(
            template(List.of(), "1.29.4"),
            template(List.of(singleTeam)),
            template(List.of(disabled)))) {
      assertThat(kinds(objects)).doesNotContain("ValidatingAdmissionPolicy");
      assertThat(texts(only(objects, "Deployment").findValue("args")))
          .noneMatch(a -> a.startsWith("--admission-map"));
      assertThat(rules(objects)).noneMatch(r -> texts(r.path("resources")).contains("configmaps"));
    }
  }

  @Test
  void namespaceModeGrantsNothingClusterWideButReadingBindings(@TempDir Path dir)
      throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        replicaCount: 2
        watchNamespaces: [team-a, team-b]
        serviceAccount:
          gcpServiceAccount: lumen-operator@my-project.iam.gserviceaccount.com
        metrics:
          serviceMonitor: {enabled: true, labels: {release: prometheus}}
        prometheusRule: {enabled: true}
        sloAlertRules: {enabled: true, labels: {release: prometheus}}
        grafanaDashboard: {enabled: true, namespace: monitoring}
        """);
    List<JsonNode> objects = template(List.of(values));

    assertThat(
            objects.stream()
                .filter(o -> o.path("kind").asText().startsWith("Cluster"))
                .map(o -> o.path("metadata").path("name").asText()))
        .as("cluster-wide for the operator: reading bindings; for the teams: their roles")
        .containsOnly("lumen-operator-tenancy", "lumen-editor", "lumen-viewer");
    assertThat(
            rules(
                objects.stream()
                    .filter(
                        o ->
                            o.path("metadata")
                                .path("name")
                                .asText()
                                .equals("lumen-operator-tenancy"))
                    .toList()))
        .extracting(r -> texts(r.path("resources")) + " " + texts(r.path("verbs")))
        .containsExactly(
            "[lumenprojectbindings] [get, list, watch]",
            "[lumenprojectbindings/status] [update]",
            "[namespaces] [get, list]");
    assertThat(
            objects.stream()
                .filter(o -> o.path("kind").asText().equals("Role"))
                .map(o -> o.path("metadata").path("namespace").asText()))
        .as("the teams' namespaces, and the operator's for its Lease and the admission map")
        .containsExactlyInAnyOrder("team-a", "team-b", "lumen-system", "lumen-system");
    assertThat(
            objects.stream()
                .filter(o -> o.path("kind").asText().equals("RoleBinding"))
                .map(o -> o.path("subjects").get(0).path("namespace").asText()))
        .as("every binding is for the operator's own ServiceAccount")
        .containsOnly("lumen-system");
    assertThat(rules(objects)).allSatisfy(HelmChartTest::hasNoWildcard);

    JsonNode deployment = only(objects, "Deployment");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(texts(deployment.path("spec").path("template").findValue("args")))
        .contains(
            "--namespaces=team-a,team-b",
            "--leader-election",
            "--lease-name=lumen-operator",
            "--lease-namespace=lumen-system",
            "--prometheus-rules",
            "--prometheus-rules-label=release=prometheus");
    assertThat(
            objects.stream()
                .filter(o -> o.path("kind").asText().equals("Role"))
                .filter(
                    o ->
                        rules(List.of(o)).stream()
                            .anyMatch(
                                r ->
                                    texts(r.path("resources")).contains("prometheusrules")
                                        && texts(r.path("verbs"))
                                            .equals(List.of("get", "create", "update"))))
                .map(o -> o.path("metadata").path("namespace").asText()))
        .as("the SLOTargets' rules are written in the watched namespaces")
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(
            only(objects, "ServiceAccount")
                .path("metadata")
                .path("annotations")
                .path("iam.gke.io/gcp-service-account")
                .asText())
        .isEqualTo("lumen-operator@my-project.iam.gserviceaccount.com");
    assertThat(only(objects, "PodDisruptionBudget").path("spec").path("minAvailable").asInt())
        .isEqualTo(1);
    assertThat(
            only(objects, "ServiceMonitor")
                .path("metadata")
                .path("labels")
                .path("release")
                .asText())
        .isEqualTo("prometheus");

    JsonNode rule = only(objects, "PrometheusRule");
    assertThat(rule.path("spec").path("groups").get(0).path("name").asText())
        .isEqualTo(OperatorAlertRules.GROUP);
    JsonNode dashboard = only(objects, "ConfigMap");
    assertThat(dashboard.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
    assertThat(
            YAML.readTree(dashboard.path("data").path("lumen.json").asText()).path("uid").asText())
        .isEqualTo("lumen-operator");
  }

  @Test
  void badValuesAreRejectedNamingTheField(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, "operator: {logFormat: xml}\nwatchNamespaces: [Team_A]\n");
    assertThatThrownBy(() -> template(List.of(values)))
        .hasMessageContaining("logFormat")
        .hasMessageContaining("watchNamespaces");

    Files.writeString(values, "replicaCount: 1\nreplicas: 2\n");
    assertThatThrownBy(() -> template(List.of(values)))
        .as("a misspelt key is an error, not silently ignored")
        .hasMessageContaining("replicas");
  }

  /** The chart's copy of the operator alerts is what `lumen rules` renders. */
  @Test
  void operatorAlertsAreTheRenderedOnes() throws IOException {
    String rendered = RulesYaml.plain(List.of(OperatorAlertRules.group()));
    if (Boolean.getBoolean("lumen.crds.update")) {
      Files.writeString(OPERATOR_ALERTS, rendered);
    }
    assertThat(Files.readString(OPERATOR_ALERTS))
        .as(
            "helm/lumen-operator/files/operator-alerts.yaml is out of date; regenerate with"
                + " `./mvnw -q -pl operator -Pupdate-crds test`")
        .isEqualTo(rendered);
  }

  @Test
  void teamsGetEditorAndViewerRolesAggregatedIntoTheBuiltInOnesThatCannotWriteStatus()
      throws IOException {
    List<JsonNode> objects = template(List.of());
    JsonNode editor = named(objects, "lumen-editor");
    JsonNode viewer = named(objects, "lumen-viewer");

    assertThat(
            editor
                .path("metadata")
                .path("labels")
                .path("rbac.authorization.k8s.io/aggregate-to-edit")
                .asText())
        .isEqualTo("true");
    assertThat(
            viewer
                .path("metadata")
                .path("labels")
                .path("rbac.authorization.k8s.io/aggregate-to-view")
                .asText())
        .isEqualTo("true");
    for (JsonNode role : List.of(editor, viewer)) {
      assertThat(rules(List.of(role)))
          .allSatisfy(
              r ->
                  assertThat(texts(r.path("resources")))
                      .containsExactly("lumenpolicies", "slotargets"));
    }
    assertThat(texts(rules(List.of(viewer)).get(0).path("verbs")))
        .containsExactly("get", "list", "watch");
  }

  @Test
  void aNetworkPolicyLetsOutOnlyDnsHttpsAndWhatIsListedAndInOnlyTheScrapers(@TempDir Path dir)
      throws IOException {
    assertThat(kinds(template(List.of()))).doesNotContain("NetworkPolicy");
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        networkPolicy:
          enabled: true
          apiServerPort: 6443
          extraEgress: [{to: [{ipBlock: {cidr: 10.0.0.3/32}}], ports: [{port: 6379}]}]
        """);

    JsonNode policy = only(template(List.of(values)), "NetworkPolicy").path("spec");

    assertThat(texts(policy.path("policyTypes"))).containsExactly("Ingress", "Egress");
    assertThat(policy.path("ingress")).hasSize(1);
    assertThat(policy.path("ingress").get(0).findValues("port"))
        .extracting(JsonNode::asInt)
        .containsExactly(8080);
    assertThat(
            policy
                .path("ingress")
                .get(0)
                .path("from")
                .get(0)
                .path("namespaceSelector")
                .path("matchLabels")
                .path("kubernetes.io/metadata.name")
                .asText())
        .isEqualTo("monitoring");
    assertThat(policy.path("egress").findValues("port"))
        .extracting(JsonNode::asInt)
        .containsExactlyInAnyOrder(53, 53, 443, 6443, 6379);
    assertThat(policy.path("egress").findValues("cidr"))
        .extracting(JsonNode::asText)
        .containsExactly("10.0.0.3/32");
  }

  static JsonNode named(List<JsonNode> objects, String name) {
    return objects.stream()
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Every RBAC rule in the template has a comment saying why Lumen needs it. */
  @Test
  void everyRbacRuleIsExplained() throws IOException {
    Pattern rule = Pattern.compile("^\\s*- apiGroups:");
    int rules = 0;
    for (String template :
        List.of("_rbac-rules.tpl", "rbac.yaml", "tenant-roles.yaml", "admission-policy.yaml")) {
      List<String> lines = Files.readAllLines(CHART.resolve("templates").resolve(template));
      for (int i = 0; i < lines.size(); i++) {
        if (rule.matcher(lines.get(i)).find()) {
          rules++;
          assertThat(lines.get(i - 1).trim())
              .as("the line before the rule at %s:%d", template, i + 1)
              .startsWith("#");
        }
      }
    }
    assertThat(rules).isEqualTo(17);
  }

  static List<JsonNode> template(List<Path> valuesFiles) throws IOException {
    return template(valuesFiles, KUBERNETES);
  }

  static List<JsonNode> template(List<Path> valuesFiles, String kubernetes) throws IOException {
    return RenderedChart.of(valuesFiles, kubernetes);
  }

  static List<String> kinds(List<JsonNode> objects) {
    return objects.stream().map(o -> o.path("kind").asText()).toList();
  }

  static JsonNode only(List<JsonNode> objects, String kind) {
    var matching = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    assertThat(matching).as(kind).hasSize(1);
    return matching.get(0);
  }

  static List<JsonNode> rules(List<JsonNode> objects) {
    List<JsonNode> rules = new ArrayList<>();
    objects.stream()
        .filter(o -> o.path("kind").asText().matches("Role|ClusterRole"))
        .forEach(o -> o.path("rules").forEach(rules::add));
    return rules;
  }

  static void hasNoWildcard(JsonNode rule) {
    for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
      assertThat(texts(rule.path(field))).as(field + " of " + rule).doesNotContain("*");
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  static List<String> texts(List<JsonNode> nodes) {
    return nodes.stream().map(JsonNode::asText).toList();
  }
}
