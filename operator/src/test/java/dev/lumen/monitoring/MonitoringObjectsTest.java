package dev.lumen.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cli.LumenCommand;
import dev.lumen.rules.SloAlertRules;
import dev.lumen.testkit.CommandRun;
import dev.lumen.testkit.google.MonitoringObjectRules;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.References;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `lumen monitoring` as a user runs it: the JSON it prints parses back into the APIs' messages,
 * which the Cloud Monitoring fakes' rules accept, with the burn-rate factors of `lumen rules`.
 */
class MonitoringObjectsTest {
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());

  @Test
  void everySampleSloTargetRendersObjectsTheApisAccept() throws Exception {
    CommandRun run =
        CommandRun.of(
            LumenCommand.commandLine(),
            "monitoring",
            "--slo",
            "../samples",
            "--policy",
            "../samples");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode documents = new ObjectMapper().readTree(run.out());
    assertThat(documents).hasSizeGreaterThanOrEqualTo(3);
    List<String> problems = new ArrayList<>();
    int objectives = 0;
    for (JsonNode document : documents) {
      String who = document.path("sloTarget").asText() + ": ";
      MonitoringObjectRules.check(
              parse(document.path("service"), Service.newBuilder(), Service.class))
          .forEach(p -> problems.add(who + p));
      for (JsonNode slo : document.path("serviceLevelObjectives")) {
        objectives++;
        MonitoringObjectRules.check(
                parse(slo, ServiceLevelObjective.newBuilder(), ServiceLevelObjective.class))
            .forEach(p -> problems.add(who + p));
      }
      for (JsonNode policy : document.path("alertPolicies")) {
        MonitoringObjectRules.check(parse(policy, AlertPolicy.newBuilder(), AlertPolicy.class))
            .forEach(p -> problems.add(who + p));
      }
      MonitoringObjectRules.check(
              parse(document.path("dashboard"), Dashboard.newBuilder(), Dashboard.class))
          .forEach(p -> problems.add(who + p));
    }
    assertThat(problems).isEmpty();
    assertThat(objectives).as("ServiceLevelObjectives over the samples").isGreaterThanOrEqualTo(3);
    // The objectives the SLO API cannot express are named on stderr with the reason.
    assertThat(run.err())
        .contains("no ServiceLevelObjective for cache-hit: a cache hit rate counts hits")
        .contains("no ServiceLevelObjective for service-down: a custom objective bounds");
  }

  /** The same factors as the Prometheus rules: 14.4/6/3/1 at 30 days, 13.44/5.6/2.8/0.933 at 28. */
  @ParameterizedTest
  @ValueSource(strings = {"28d", "30d"})
  void burnRateConditionsHaveTheFactorsOfTheRules(String window) throws Exception {
    SLOTarget target = sloTarget(window);

    var objects = MonitoringObjects.of(target, Optional.empty());

    var policyFactors = new TreeSet<Double>();
    for (AlertPolicy policy : objects.alertPolicies()) {
      assertThat(policy.getCombiner()).isEqualTo(AlertPolicy.ConditionCombinerType.AND);
      assertThat(policy.getConditionsList()).hasSize(2);
      assertThat(policy.getConditionsList())
          .allSatisfy(
              c ->
                  assertThat(MonitoringObjectRules.burnRateSlo(c))
                      .contains(objects.objectives().get(0).getName()));
      policyFactors.add(
          Math.round(policy.getConditions(0).getConditionThreshold().getThresholdValue() * 1e4)
              / 1e4);
    }
    var ruleFactors = new TreeSet<Double>();
    var factor = Pattern.compile("\\(([0-9.]+) \\* ");
    for (var rule : SloAlertRules.of(target).group().rules()) {
      if (SloAlertRules.BURN_ALERT.equals(rule.alert())) {
        var m = factor.matcher(rule.expr());
        while (m.find()) {
          ruleFactors.add(Double.parseDouble(m.group(1)));
        }
      }
    }
    assertThat(policyFactors).hasSize(4).isEqualTo(ruleFactors);
    assertThat(policyFactors).contains(window.equals("30d") ? 14.4 : 13.44);
  }

  @Test
  void aWindowTheSloApiCannotHoldExpressesNoObjectiveAndSaysWhy() throws Exception {
    var objects = MonitoringObjects.of(sloTarget("90d"), Optional.empty());

    assertThat(objects.objectives()).isEmpty();
    assertThat(objects.alertPolicies()).isEmpty();
    assertThat(objects.notExpressed())
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.why())
                    .contains("longer than the SLO API's longest rolling period, 30d"));
  }

  @Test
  void theDashboardHasTheTwelveWidgetsWithTheLogsPanelFiltered() throws Exception {
    Dashboard dashboard = MonitoringObjects.of(sloTarget("28d"), Optional.empty()).dashboard();

    var tiles = dashboard.getMosaicLayout().getTilesList();
    assertThat(tiles).hasSize(12);
    assertThat(tiles.stream().map(t -> t.getWidget().getTitle()))
        .contains(
            "Maturity score", "ROI %", "SLO compliance %", "Latency p95 / p99 (ms)", "Error logs");
    var logs = tiles.get(tiles.size() - 1).getWidget().getLogsPanel();
    assertThat(logs.getFilter())
        .contains("resource.labels.service_name=\"checkout\"")
        .contains("severity>=ERROR");
    assertThat(dashboard.getLabelsMap()).containsEntry(Ownership.MANAGED_BY, Ownership.LUMEN);
  }

  static SLOTarget sloTarget(String window) throws Exception {
    JsonNode tree =
        Serialization.jsonMapper()
            .valueToTree(
                Serialization.unmarshal(
                    """
                    apiVersion: lumen.dev/v1alpha1
                    kind: SLOTarget
                    metadata: {name: checkout, namespace: shop}
                    spec:
                      service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
                      window: %s
                      objectives:
                        - {name: availability, severity: Critical, availability: {target: "99.9"}}
                    """
                        .formatted(window),
                    Object.class));
    var validation = VALIDATOR.validate(tree, References.standalone());
    assertThat(validation.violations()).isEmpty();
    return VALIDATOR.typed(validation, SLOTarget.class);
  }

  static <T extends Message> T parse(JsonNode json, Message.Builder builder, Class<T> type)
      throws Exception {
    JsonFormat.parser().merge(json.toString(), builder);
    return type.cast(builder.build());
  }
}
