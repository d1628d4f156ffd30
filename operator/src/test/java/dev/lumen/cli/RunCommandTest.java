package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testkit.CommandRun;
import org.junit.jupiter.api.Test;

/** The shipped {@code run}: its options and usage errors. */
class RunCommandTest {
  @Test
  void rejectsAnUnknownLogFormatAsAUsageError() {
    CommandRun run = CommandRun.of(LumenCommand.commandLine(), "run", "--log-format", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format").contains("plain, json");
  }

  @Test
  void aRuleLabelWithoutTheRulesIsAUsageError() {
    CommandRun run =
        CommandRun.of(
            LumenCommand.commandLine(), "run", "--prometheus-rules-label", "release=prometheus");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--prometheus-rules-label").contains("--prometheus-rules;");
  }

  @Test
  void offersGoogleEndpointOverridesButNoSimulator() {
    CommandRun help = CommandRun.of(LumenCommand.commandLine(), "run", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--cloud-run-endpoint", "--monitoring-endpoint", "--apply")
        .doesNotContainIgnoringCase("simulat")
        .doesNotContain("--embedded-api-server")
        .doesNotContain("--clock");
    assertThat(CommandRun.of(LumenCommand.commandLine(), "--help").out())
        .doesNotContain("demo")
        .doesNotContain("backtest");
  }

  @Test
  void plaintextGoogleEndpointsAreForLoopbackAddressesOnly() {
    CommandRun run =
        CommandRun.of(
            LumenCommand.commandLine(),
            "run",
            "--cloud-run-endpoint",
            "http://192.0.2.1:8080",
            "--duration",
            "0s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--cloud-run-endpoint http://192.0.2.1:8080")
        .contains("loopback address only");
  }
}
