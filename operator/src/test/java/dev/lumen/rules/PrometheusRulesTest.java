package dev.lumen.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cli.LumenCommand;
import dev.lumen.testkit.ExternalProgram;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.References;
import dev.lumen.validation.ResourceValidator;
import dev.lumen.validation.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered rules against the real promtool (Debian's prometheus package, installed by the
 * build): every sample SLOTarget's rules pass {@code check rules}, and the alerts fire, stay quiet
 * and resolve as the unit tests in checkout-test.yaml say.
 */
class PrometheusRulesTest {
  static final Duration PROMTOOL_TIMEOUT = Duration.ofSeconds(60);
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());

  /** Through the command a user runs: it reads the directory and skips the other kinds. */
  @Test
  void rulesOfEverySampleSloTargetPassPromtoolCheck(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    int exit =
        LumenCommand.commandLine().execute("rules", "--slo", "../samples", "-o", rules.toString());
    assertThat(exit).isZero();
    List<String> groups = new ArrayList<>();
    new YAMLMapper()
        .readTree(rules.toFile())
        .path("groups")
        .forEach(g -> groups.add(g.path("name").asText()));
    assertThat(groups)
        .as("sample SLOTargets")
        .filteredOn(name -> name.startsWith("lumen-slo-"))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(groups).last().isEqualTo(OperatorAlertRules.GROUP);

    var check = promtool(dir, "check", "rules", rules.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS");
  }

  @Test
  void alertsFireAndResolveAsTheUnitTestsSay(@TempDir Path dir) throws Exception {
    SLOTarget checkout = sloTarget(resource("checkout-slotarget.yaml"));
    var result = SloAlertRules.of(checkout);
    assertThat(result.skipped()).isEmpty();
    Files.writeString(
        dir.resolve("rules.yaml"),
        RulesYaml.plain(List.of(result.group(), OperatorAlertRules.group())));
    Files.write(dir.resolve("tests.yaml"), bytes("checkout-test.yaml"));

    var test = promtool(dir, "test", "rules", "tests.yaml");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void aPrometheusRuleCarriesTheSameGroupsForThePrometheusOperator(@TempDir Path dir)
      throws Exception {
    var groups = List.of(OperatorAlertRules.group());
    String rule =
        RulesYaml.prometheusRule(
            "lumen", "monitoring", java.util.Map.of("release", "prometheus"), groups);
    var tree = Serialization.jsonMapper().valueToTree(Serialization.unmarshal(rule, Object.class));
    assertThat(tree.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(tree.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
    // The spec is a rules file: promtool accepts it once unwrapped.
    Path unwrapped = dir.resolve("unwrapped.yaml");
    Files.writeString(
        unwrapped,
        Serialization.asYaml(
            Serialization.jsonMapper().treeToValue(tree.path("spec"), Object.class)));
    var check = promtool(dir, "check", "rules", unwrapped.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void skippedObjectivesSayWhy() throws Exception {
    var tree =
        Serialization.jsonMapper()
            .readTree(
                "{\"apiVersion\":\"lumen.dev/v1alpha1\",\"kind\":\"SLOTarget\",\"metadata\":{\"name\":\"web\"},"
                    + "\"spec\":{\"service\":{\"cloudRun\":{\"project\":\"my-project\",\"region\":\"us-central1\",\"name\":\"web\"}},"
                    + "\"objectives\":[{\"name\":\"hits\",\"cacheHitRate\":{\"min\":\"80\"}},"
                    + "{\"name\":\"phase\",\"custom\":{\"query\":\"metric.type=\\\"x\\\"\",\"max\":\"1\"}}]}}");
    var result = SloAlertRules.of(sloTarget(tree));
    assertThat(result.group().rules()).isEmpty();
    assertThat(result.skipped())
        .containsExactly(
            "hits: cache hit rate has no request counts to burn a budget against; alert on"
                + " lumen_slo_objective_met instead",
            "phase: a custom objective gets an alert only when its query is PromQL; a Monitoring"
                + " filter is for a Cloud Monitoring alert policy");
  }

  @Test
  void aPromqlObjectiveReadThroughCloudMonitoringGetsItsAlertLikeAPrometheusOne() throws Exception {
    var tree =
        Serialization.jsonMapper()
            .readTree(
                "{\"apiVersion\":\"lumen.dev/v1alpha1\",\"kind\":\"SLOTarget\",\"metadata\":{\"name\":\"web\"},"
                    + "\"spec\":{\"service\":{\"cloudRun\":{\"project\":\"my-project\",\"region\":\"us-central1\",\"name\":\"web\"}},"
                    + "\"source\":{\"cloudMonitoring\":{}},"
                    + "\"objectives\":[{\"name\":\"phase\",\"severity\":\"Critical\",\"custom\":{\"query\":\"avg(ion_phase_diff)\",\"language\":\"PromQL\",\"max\":\"0.9\",\"for\":\"10m\"}}]}}");

    var result = SloAlertRules.of(sloTarget(tree));

    assertThat(result.skipped()).isEmpty();
    assertThat(result.group().rules())
        .anySatisfy(
            rule -> {
              assertThat(rule.alert()).isEqualTo(SloAlertRules.CUSTOM_ALERT);
              assertThat(rule.expr()).contains("avg(ion_phase_diff)").contains("0.9");
              assertThat(rule.labels()).containsEntry("severity", "critical");
            });
  }

  /**
   * A 250 ms threshold inside the bucket (200, 300]: the rule counts as Lumen does, the le="200"
   * requests plus half of those between 200 and 300 ms, instead of a le="250" series that does not
   * exist. Promtool evaluates the recorded bad ratio: 1000 requests a minute, 900 at most 200 ms,
   * 960 at most 300 ms, so 930 fast and 7 % (70 per mille) slow.
   */
  @Test
  void aLatencyThresholdInsideABucketIsInterpolatedBetweenItsBounds(@TempDir Path dir)
      throws Exception {
    // As `kubectl get slo web -o yaml` shows it once Lumen has measured latency.
    Files.writeString(
        dir.resolve("web.yaml"),
        """
        apiVersion: lumen.dev/v1alpha1
        kind: SLOTarget
        metadata: {name: web, namespace: shop}
        spec:
          service: {cloudRun: {project: shop-prod, region: europe-west1, name: web}}
          window: 30d
          objectives: [{name: fast, latency: {percentile: 95, threshold: 250ms}}]
        status:
          objectives:
            - {name: fast, current: "280", target: "250", met: false,
               thresholdBucket: {lowerBound: "200", upperBound: "300"}}
        """);
    int exit =
        LumenCommand.commandLine()
            .execute(
                "rules",
                "--slo",
                dir.resolve("web.yaml").toString(),
                "-o",
                dir.resolve("rules.yaml").toString());
    assertThat(exit).isZero();
    String selector =
        "project_id=\"shop-prod\",location=\"europe-west1\",service_name=\"web\",revision_name=\"web-1\"";
    Files.writeString(
        dir.resolve("tests.yaml"),
        "rule_files: [rules.yaml]\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + "      - {series: 'run_googleapis_com:request_latencies_bucket{"
            + selector
            + ",le=\"200\"}', values: '0+900x30'}\n"
            + "      - {series: 'run_googleapis_com:request_latencies_bucket{"
            + selector
            + ",le=\"300\"}', values: '0+960x30'}\n"
            + "      - {series: 'run_googleapis_com:request_latencies_count{"
            + selector
            + "}', values: '0+1000x30'}\n"
            + "    promql_expr_test:\n"
            + "      - expr: round(lumen:slo_errors:ratio_rate5m * 1000)\n"
            + "        eval_time: 20m\n"
            + "        exp_samples:\n"
            + "          - labels: '{namespace=\"shop\",objective=\"fast\","
            + "service=\"web\",slotarget=\"web\"}'\n"
            + "            value: 70\n");

    var test = promtool(dir, "test", "rules", "tests.yaml");

    assertThat(test.exitCode()).as(test.output()).isZero();
  }

  static SLOTarget sloTarget(JsonNode tree) {
    Validation validation = VALIDATOR.validate(tree, References.standalone());
    assertThat(validation.violations()).as("a valid SLOTarget").isEmpty();
    return VALIDATOR.typed(validation, SLOTarget.class);
  }

  static JsonNode resource(String name) throws IOException {
    return Serialization.jsonMapper()
        .valueToTree(Serialization.unmarshal(new String(bytes(name)), Object.class));
  }

  static byte[] bytes(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(PrometheusRulesTest.class.getResourceAsStream(name), name)) {
      return in.readAllBytes();
    }
  }

  static ExternalProgram.Result promtool(Path dir, String... args)
      throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add("promtool");
    command.addAll(List.of(args));
    return ExternalProgram.run(dir, PROMTOOL_TIMEOUT, command);
  }
}
