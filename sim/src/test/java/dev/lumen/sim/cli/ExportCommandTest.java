package dev.lumen.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.testkit.CommandRun;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import dev.lumen.testkit.world.SimWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What would this policy have done last week" in two commands: export a service's history from
 * Cloud Monitoring (the real client over the loopback fake), then backtest the policy on it.
 */
class ExportCommandTest {
  static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
  static final CloudRunServiceReference ION =
      new CloudRunServiceReference("my-project", "us-central1", "ion-api");

  @TempDir Path dir;

  @Test
  void anExportedWeekReplaysInTheBacktest() throws Exception {
    var metrics = new FakeMetrics();
    var world = new SimWorld(new FakeCloudRun(), metrics, 7, START);
    world.addService(ION, "ion-api-00001", 600, START.minus(Duration.ofDays(1)));
    // Someone sends 10 % to a revision that fails 8 % of its requests, by hand.
    world.deployAt(
        ION,
        "ion-api-00002",
        new SimWorld.Behaviour(0.08, 80, 0.02),
        START.plus(Duration.ofMinutes(5)));
    world.trafficEditOutsideLumen(
        ION, Map.of("ion-api-00001", 90, "ion-api-00002", 10), START.plus(Duration.ofMinutes(6)));
    world.advanceTo(START.plus(Duration.ofMinutes(40)));
    Path csv = dir.resolve("ion-api.csv");

    try (var google = new MonitoringGrpcFake(metrics)) {
      CommandRun export =
          CommandRun.of(
              LocalCommand.commandLine(),
              "export",
              "--policy",
              "../samples/minimal/lumenpolicy.yaml",
              "--since",
              "40m",
              "--until",
              START.plus(Duration.ofMinutes(40)).toString(),
              "--monitoring-endpoint",
              "http://" + google.endpoint(),
              "-o",
              csv.toString());

      assertThat(export.exitCode()).as(export.err()).isZero();
      assertThat(google.faults().calls("ListTimeSeries")).as("one query per kind").isEqualTo(4);
    }
    var lines = Files.readAllLines(csv);
    assertThat(lines.get(1)).startsWith("timestamp,service,revision,requests,errors,latency_le_");
    assertThat(lines)
        .filteredOn(l -> l.contains(",ion-api,ion-api-00001,"))
        .as("a row a minute for the stable")
        .hasSize(40);
    assertThat(lines).anyMatch(l -> l.startsWith("2026-11-30T10:07:00Z,ion-api,ion-api-00002,"));

    CommandRun backtest =
        CommandRun.of(
            LocalCommand.commandLine(),
            "backtest",
            "--policy",
            "../samples/minimal/lumenpolicy.yaml",
            "--slo",
            "../samples/minimal/slotarget.yaml",
            "--metrics",
            csv.toString());

    assertThat(backtest.exitCode()).as(backtest.out() + backtest.err()).isZero();
    assertThat(backtest.out()).contains("recorded metrics from ion-api.csv", "ion-api-00002");
  }

  @Test
  void anUnreachableMonitoringExitsThree() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    CommandRun export =
        CommandRun.of(
            LocalCommand.commandLine(),
            "export",
            "--policy",
            "../samples/minimal/lumenpolicy.yaml",
            "--since",
            "10m",
            "--monitoring-endpoint",
            "http://127.0.0.1:" + closed);

    assertThat(export.exitCode()).isEqualTo(3);
    assertThat(export.err()).contains("export: Cloud Monitoring could not be read");
  }
}
