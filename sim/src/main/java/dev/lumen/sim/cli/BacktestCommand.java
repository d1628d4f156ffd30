package dev.lumen.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.Manifests;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.sim.scenario.Backtest;
import dev.lumen.sim.scenario.Expectations;
import dev.lumen.sim.scenario.RecordedBacktest;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioException;
import dev.lumen.sim.scenario.ScenarioFile;
import dev.lumen.sim.scenario.TextView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs a scenario through Lumen's engine in virtual time, with no servers. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Ask what a policy would have done, in virtual time and with no servers.",
      "Runs a scenario, or policies over recorded metrics, through Lumen's observers, engine and"
          + " change applier, prints the decision timeline and checks the scenario's"
          + " expectations.",
      "Exit code 0 when all are met, 1 when not, 2 on bad input."
    })
final class BacktestCommand implements Callable<Integer> {
  @Option(
      names = "--scenario",
      paramLabel = "FILE|NAME",
      description = "A scenario file, or the name of one shipped in samples/scenarios.")
  String scenario;

  @Option(
      names = "--metrics",
      paramLabel = "CSV",
      description =
          "Recorded metrics, one row per revision and minute (docs/simulation.md), to run the"
              + " --policy and --slo resources over instead of a scenario.")
  Path metrics;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "LumenPolicy manifests for --metrics (repeatable; Secrets they need too).")
  List<Path> policies = new ArrayList<>();

  @Option(
      names = "--slo",
      paramLabel = "FILE",
      description = "SLOTarget manifests for --metrics (repeatable).")
  List<Path> slos = new ArrayList<>();

  @Option(
      names = "--metric-data-delay",
      description =
          "How late metric data is taken to arrive, as the operator's flag. Default: the"
              + " operator's 3m with --metrics (recorded from Cloud Monitoring, where data comes"
              + " late); 1m with --scenario, as the demo runs the operator on the same world.")
  String dataDelay;

  @picocli.CommandLine.Mixin ReportOptions reports = new ReportOptions();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    if ((scenario == null) == (metrics == null)) {
      throw new ParameterException(
          spec.commandLine(), "give either --scenario, or --metrics with --policy and --slo");
    }
    if (metrics == null && !(policies.isEmpty() && slos.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(), "--policy and --slo go with --metrics; a scenario holds its own");
    }
    Duration delay =
        dataDelay != null
            ? dev.lumen.engine.Durations.parse(dataDelay)
            : metrics != null ? MetricRequest.DEFAULT_DATA_DELAY : Backtest.SCENARIO_DATA_DELAY;
    ScenarioFile.Loaded loaded;
    Backtest backtest;
    if (metrics != null) {
      List<Path> files = new ArrayList<>(policies);
      files.addAll(slos);
      var prepared = RecordedBacktest.prepare(resources(files), metrics);
      loaded = prepared.loaded();
      backtest = new Backtest(loaded, delay, prepared.world());
    } else {
      loaded = Scenarios.load(scenario);
      backtest = new Backtest(loaded, delay);
    }
    long started = System.nanoTime();
    Recording recording = backtest.run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    PrintWriter viewOut =
        reports.jsonToStdout() ? new PrintWriter(java.io.Writer.nullWriter()) : out;
    var view = new TextView(viewOut, loaded.scenario().startTime(), false);
    view.heading(
        loaded.scenario(),
        "backtest of "
            + loaded.scenario().duration()
            + " in virtual time ("
            + took.toMillis()
            + " ms)");
    recording.journal().entries().forEach(view::entry);
    var results = Expectations.check(loaded.scenario(), recording);
    view.results(results);
    reports.write(loaded, recording, results, "backtest", out, spec.commandLine().getErr());
    return Expectations.allMet(results) ? 0 : 1;
  }

  private static List<JsonNode> resources(List<Path> files) {
    List<JsonNode> resources = new ArrayList<>();
    for (Path file : files) {
      List<String> problems = new ArrayList<>();
      for (var document : Manifests.read(file)) {
        if (document.readable()) {
          resources.add(document.content());
        } else {
          problems.add("document " + document.index() + ": " + document.error());
        }
      }
      if (!problems.isEmpty()) {
        throw new ScenarioException(file.toString(), problems);
      }
    }
    return resources;
  }
}
