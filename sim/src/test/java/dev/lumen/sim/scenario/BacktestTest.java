package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped scenario, run through the engine in virtual time, meets its expectations. */
class BacktestTest {
  static final Path SCENARIOS = Path.of(System.getProperty("lumen.samples.dir"), "scenarios");

  static Stream<Path> scenarios() throws IOException {
    return Files.list(SCENARIOS).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @Test
  void theIssueScenariosAreShipped() throws IOException {
    assertThat(scenarios().map(p -> p.getFileName().toString()))
        .contains(
            "healthy-rollout.yaml",
            "error-regression.yaml",
            "latency-regression.yaml",
            "low-traffic.yaml",
            "monitoring-outage.yaml",
            "cache-ttl-tuning.yaml",
            "budget-pressure.yaml",
            "budget-freeze.yaml",
            "maturity-block.yaml",
            "post-promotion-regression.yaml",
            "regression-then-fix.yaml",
            "alert-catalogue.yaml");
  }

  /**
   * The alert-catalogue scenario runs the sample's objectives, not a copy that drifts: the sample's
   * objectives and source must be the scenario's (only its Slack channels are left out).
   */
  @Test
  void theAlertCatalogueScenarioRunsTheSamplesObjectives() throws IOException {
    var sample =
        dev.lumen.cli.Manifests.read(SCENARIOS.resolve("../alert-catalogue/slotarget.yaml"))
            .get(0)
            .content();
    var scenario = ScenarioFile.load(SCENARIOS.resolve("alert-catalogue.yaml")).scenario();
    var inScenario =
        scenario.resources().stream()
            .filter(r -> "SLOTarget".equals(r.path("kind").asText()))
            .findFirst()
            .orElseThrow();

    assertThat(inScenario.path("spec").path("objectives"))
        .isEqualTo(sample.path("spec").path("objectives"));
    assertThat(inScenario.path("spec").path("source"))
        .isEqualTo(sample.path("spec").path("source"));
    assertThat(sample.path("spec").path("objectives")).hasSize(11);
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void meetsItsExpectations(Path file) {
    var loaded = ScenarioFile.load(file);

    var results = Expectations.check(loaded.scenario(), Backtest.run(loaded));

    assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r.met()).as(r.toString()).isTrue());
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() throws IOException {
    String text = Files.readString(SCENARIOS.resolve("error-regression.yaml"));

    var first = Backtest.run(load(text));
    var again = Backtest.run(load(text));
    var otherSeed = Backtest.run(load(text.replace("seed: 23", "seed: 24")));

    assertThat(again.journal().entries()).isEqualTo(first.journal().entries());
    assertThat(again.minutes()).hasSameSizeAs(first.minutes());
    assertThat(requests(otherSeed)).isNotEqualTo(requests(first));
  }

  @Test
  void anExpectationThatDidNotHappenIsNotMet() throws IOException {
    // Without its fault the canary is promoted: the rollback expected is reported missing.
    String text =
        Files.readString(SCENARIOS.resolve("error-regression.yaml"))
            .replace(
                "behave: {service: orders, revision: orders-00002, errorPercent: 5}",
                "behave: {service: orders, revision: orders-00002, errorPercent: 0.2}");
    var loaded = load(text);

    var results = Expectations.check(loaded.scenario(), Backtest.run(loaded));

    assertThat(results)
        .extracting(Expectations.Result::met, Expectations.Result::seen)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(false, "not rolled back"),
            org.assertj.core.groups.Tuple.tuple(false, "{orders-00002=100}"));
  }

  @Test
  void theJournalTellsWhatHappenedInOrder() throws IOException {
    var recording =
        Backtest.run(load(Files.readString(SCENARIOS.resolve("regression-then-fix.yaml"))));

    List<String> kinds =
        recording.journal().entries().stream()
            .map(Journal.Entry::kind)
            .filter(
                k ->
                    List.of("Deploy", "SetTraffic", "RollbackAnnounced", "Rollback", "Promoted")
                        .contains(k))
            .toList();
    assertThat(kinds)
        .containsExactly(
            "Deploy",
            "SetTraffic",
            "RollbackAnnounced",
            "Rollback",
            "Deploy",
            "SetTraffic",
            "SetTraffic",
            "SetTraffic",
            "Promoted");
  }

  private static List<Long> requests(Recording recording) {
    return recording.minutes().stream()
        .flatMap(m -> m.revisions().values().stream())
        .map(p -> p.requests().total())
        .toList();
  }

  static ScenarioFile.Loaded load(String text) {
    return ScenarioFile.load(
        "test.yaml", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
