package dev.lumen.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.testkit.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo and backtest as a user runs them: exit codes, the view, the report and JSON. */
class ScenarioCommandsTest {
  static final String SHORT =
      """
      apiVersion: sim.lumen.dev/v1alpha1
      kind: Scenario
      name: short
      # Room after the promotion at about 00:09: a live demo at 240x has seconds of clock time
      # between a decision and the minute the world serves it.
      duration: 15m
      services:
        - {name: web, requestsPerMinute: 600, revision: {name: web-00001}}
      timeline:
        - at: 1m
          deploy: {service: web, revision: web-00002}
      resources:
        - apiVersion: lumen.dev/v1alpha1
          kind: LumenPolicy
          metadata: {name: web}
          spec:
            service: {cloudRun: {project: demo-project, region: europe-west1, name: web}}
            rollout:
              steps: [{weight: 50, pause: 2m}, {weight: 100}]
              analysis: {interval: 1m, compareWithStable: false}
      expect:
        - promoted: {service: web, revision: web-00002}
        - rolledBack: {service: web, revision: web-00002, within: 5m}
      """;

  @TempDir Path dir;

  /** The README's main command: the default demo, run to met expectations. */
  @Test
  void theDefaultDemoRollsBackTheRegressionPromotesTheFixAndWritesItsReport() throws IOException {
    Path report = dir.resolve("demo.html");
    Path json = dir.resolve("demo.json");

    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(),
            "demo",
            "--report",
            report.toString(),
            "--json",
            json.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("regression-then-fix - live demo of 40m at 120x")
        .containsPattern("checkout +RollbackAnnounced +rolling back checkout-00002")
        .containsPattern("checkout +Rollback +roll back checkout-00002 to checkout-00001")
        .containsPattern("checkout +Promoted +promoted checkout-00003")
        .contains("All 3 expectations met.");
    var written = new ObjectMapper().readTree(json.toFile());
    assertThat(written.get("mode").asText()).isEqualTo("demo");
    assertThat(written.get("met").asBoolean()).isTrue();
    assertThat(written.get("services").get(0).get("minutes").size()).isBetween(39, 41);
    assertThat(Files.readString(report)).contains("<svg class=\"chart\" id=\"checkout-traffic\"");
  }

  @Test
  void anUnmetExpectationExitsOneInTheDemoAndTheBacktest() throws IOException {
    Path scenario = Files.writeString(dir.resolve("short.yaml"), SHORT);

    CommandRun demo =
        CommandRun.of(
            LocalCommand.commandLine(),
            "demo",
            "--scenario",
            scenario.toString(),
            "--speed",
            "240");
    CommandRun backtest =
        CommandRun.of(LocalCommand.commandLine(), "backtest", "--scenario", scenario.toString());

    for (CommandRun run : new CommandRun[] {demo, backtest}) {
      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.out())
          .containsPattern("met +web-00002 promoted: all traffic at 00:\\d\\d")
          .contains(
              "NOT MET  web-00002 rolled back within 5m of its fault at 00:01: not rolled back")
          .contains("1 of 2 expectations not met.");
    }
  }

  @Test
  void aBrokenScenarioExitsTwoNamingTheField() throws IOException {
    Path scenario =
        Files.writeString(
            dir.resolve("broken.yaml"), SHORT.replace("duration: 15m", "duration: 15 minutes"));

    CommandRun run =
        CommandRun.of(LocalCommand.commandLine(), "backtest", "--scenario", scenario.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            scenario + ": duration: \"15 minutes\" is not a duration; write e.g. 30s, 5m or 1h30m");
  }

  @Test
  void validateChecksScenariosBesideTheManifests() throws IOException {
    Path broken =
        Files.writeString(
            dir.resolve("broken.yaml"), SHORT.replace("duration: 15m", "duration: 15 minutes"));

    CommandRun samples =
        CommandRun.of(
            LocalCommand.commandLine(), "validate", System.getProperty("lumen.samples.dir"));
    CommandRun wrong = CommandRun.of(LocalCommand.commandLine(), "validate", broken.toString());

    assertThat(samples.exitCode()).as(samples.out()).isZero();
    assertThat(samples.err())
        .contains("6 resource(s) and 13 scenario(s) in 21 file(s), 0 problem(s)");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.out())
        .contains(
            broken
                + ": Scenario/short: duration: \"15 minutes\" is not a duration; write e.g. 30s, 5m"
                + " or 1h30m");
  }

  @Test
  void backtestJsonOnStandardOutputIsJsonAlone() throws IOException {
    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(), "backtest", "--scenario", "healthy-rollout", "--json", "-");

    assertThat(run.exitCode()).isZero();
    var json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("scenario").asText()).isEqualTo("healthy-rollout");
    assertThat(json.get("expectations")).hasSize(2);
    assertThat(json.get("timeline").size()).isGreaterThan(5);
  }

  @Test
  void theCommandRunsPoliciesOverARecording() {
    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(),
            "backtest",
            "--policy",
            "../samples/minimal/lumenpolicy.yaml",
            "--slo",
            "../samples/minimal/slotarget.yaml",
            "--metrics",
            "../samples/recorded/ion-api.csv");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("recorded metrics from ion-api.csv", "rolled back ion-api-00042");

    CommandRun both =
        CommandRun.of(
            LocalCommand.commandLine(),
            "backtest",
            "--scenario",
            "healthy-rollout",
            "--metrics",
            "../samples/recorded/ion-api.csv");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give either --scenario, or --metrics with --policy and --slo");
  }

  @Test
  void eachCommandsSummaryInTheHelpIsAWholeSentence() {
    // lumen --help shows the first description line of each command; it must not stop mid-way.
    LocalCommand.commandLine()
        .getSubcommands()
        .forEach(
            (name, command) ->
                assertThat(command.getCommandSpec().usageMessage().description()[0])
                    .as(name)
                    .matches("(?s).*[.)]$"));
  }
}
