package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.sim.cli.LocalCommand;
import dev.lumen.testkit.CommandRun;
import org.junit.jupiter.api.Test;

/**
 * The alert catalogue live: the operator's real Cloud Monitoring client sends the eleven PromQL
 * objectives over HTTP to the loopback fake of Cloud Monitoring's Prometheus-compatible API, and
 * every objective is measured, until mock mode turns the SLOTarget Warning.
 */
class PromqlObjectivesIT {
  @Test
  void theAlertCatalogueMeasuresEveryObjectiveThroughCloudMonitoringsPrometheusApi() {
    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(),
            "demo",
            "--scenario",
            "../samples/scenarios/alert-catalogue.yaml");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("every objective of SLOTarget ion-alert-catalogue measured: 11 of 11 measured")
        .containsPattern("ion-alert-catalogue +SloState +Healthy -> Warning, compliance 90.9 %")
        .contains("All 2 expectations met.");
  }
}
