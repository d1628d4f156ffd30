package dev.lumen.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testkit.CommandRun;
import org.junit.jupiter.api.Test;

/** The operator on the embedded API server with the samples applied: what a newcomer tries. */
class RunLocalCommandTest {
  @Test
  void appliesTheSamplesAndReportsEachOneReady() {
    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(),
            "run-local",
            "--apply",
            System.getProperty("lumen.samples.dir"),
            "--port",
            "0",
            "--duration",
            "0s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().filter(l -> l.matches("^(SLOTarget|LumenPolicy) .*")))
        .hasSize(5)
        .allSatisfy(line -> assertThat(line).containsPattern(" True +Accepted "));
  }

  @Test
  void runSimulatedRefusesGoogleEndpointsThatAreNotLoopbackFakes() {
    CommandRun run =
        CommandRun.of(
            LocalCommand.commandLine(),
            "run-simulated",
            "--clock",
            "2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,60",
            "--cloud-run-endpoint",
            "run.googleapis.com:443",
            "--monitoring-endpoint",
            "http://127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("http://127.0.0.1:PORT");
  }
}
