package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's main job: the operator on the embedded API server with the samples applied. */
class RunCommandTest {
  @Test
  void appliesTheSamplesAndReportsEachOneReady() {
    CommandRun run =
        CommandRun.of(
            "run",
            "--embedded-api-server",
            "--apply",
            System.getProperty("lumen.samples.dir"),
            "--port",
            "0",
            "--duration",
            "0s");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().filter(l -> l.matches("^(SLOTarget|LumenPolicy) .*")))
        .hasSize(5)
        .allSatisfy(line -> assertThat(line).containsPattern(" True +Accepted "));
  }

  @Test
  void rejectsAnUnknownLogFormatAsAUsageError() {
    CommandRun run = CommandRun.of("run", "--log-format", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format").contains("plain, json");
  }

  @Test
  void aRuleLabelWithoutTheRulesIsAUsageError() {
    CommandRun run = CommandRun.of("run", "--prometheus-rules-label", "release=prometheus");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--prometheus-rules-label").contains("--prometheus-rules;");
  }
}
