package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenarioFileTest {
  static final String HEAD = "apiVersion: sim.lumen.dev/v1alpha1\nkind: Scenario\n";

  @Test
  void everyProblemIsReportedAtOnceNamingItsField() {
    String text =
        HEAD
            + """
            name: Bad_Name
            duration: soon
            services:
              - name: web
                requestsPerMinute: 0
                revision: {name: web-00001, errorPercent: 120}
            metrics:
              - {promql: 'max(queue)', type: custom.googleapis.com/queue, value: 1}
            timeline:
              - at: 5m
                behave: {service: web, revision: web-00009, errorPercent: 5}
              - at: 6m
                deploy: {service: api, revision: api-00002}
                monitoringOutage: {for: 5m}
              - at: 7m
                setMetric: {promql: 'max(queue)'}
            resources:
              - apiVersion: lumen.dev/v1alpha1
                kind: LumenPolicy
                metadata: {name: web}
                spec:
                  service: {cloudRun: {project: elsewhere, region: europe-west1, name: web}}
                  mode: Yolo
            expect:
              - promoted: {service: web, revision: web-00002}
            """;

    assertThatThrownBy(() -> BacktestTest.load(text))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "name: required: lower-case letters, digits and '-', e.g. error-regression",
                        "duration: \"soon\" is not a duration; write e.g. 30s, 5m or 1h30m",
                        "services[0].requestsPerMinute: required, greater than 0, e.g. 600 (10 a"
                            + " second)",
                        "services[0].revision.errorPercent: a percentage within 0..100",
                        "metrics[0]: set exactly one of promql (a query's one series) or type (a"
                            + " Monitoring metric type)",
                        "timeline[0].behave.revision: web-00009 is not a revision of web (declared"
                            + " or deployed earlier)",
                        "timeline[1]: set exactly one of deploy, behave, latencyCreep,"
                            + " monitoringOutage, editTraffic, setMetric (found 2)",
                        "timeline[2].setMetric.value: required: the value the metric reads, e.g."
                            + " 1",
                        "resources[0] LumenPolicy/web: spec.mode: unsupported value \"Yolo\"; use"
                            + " one of: DryRun, Enforce",
                        "expect[0].promoted.revision: web-00002 is not a revision of web (declared"
                            + " or deployed earlier)"));
  }

  @Test
  void aMisspelledFieldIsNamedWithItsPath() {
    String text =
        HEAD
            + "name: x\nduration: 1h\nservices:\n  - name: web\n    requestsPerMinute: 1\n"
            + "    revision: {name: web-00001, errorPercnt: 1}\n";

    assertThatThrownBy(() -> BacktestTest.load(text))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("services[0].revision.errorPercnt: Unrecognized field"));
  }

  @Test
  void aResourceForAServiceThatIsNotSimulatedIsRejected() {
    String text =
        HEAD
            + """
            name: x
            duration: 1h
            services:
              - {name: web, requestsPerMinute: 60, revision: {name: web-00001}}
            resources:
              - apiVersion: lumen.dev/v1alpha1
                kind: LumenPolicy
                metadata: {name: web}
                spec:
                  service: {cloudRun: {project: elsewhere, region: europe-west1, name: web}}
            expect:
              - noRollback: {service: web}
            """;

    assertThatThrownBy(() -> BacktestTest.load(text))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "resources[0] LumenPolicy/web: spec.service.cloudRun:"
                            + " projects/elsewhere/locations/europe-west1/services/web is not"
                            + " simulated; add it under services (project defaults to"
                            + " demo-project, region to europe-west1)"));
  }
}
