package dev.lumen.cli;

import dev.lumen.sim.scenario.Backtest;
import dev.lumen.sim.scenario.Expectations;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioFile;
import dev.lumen.sim.scenario.TextView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a scenario through Lumen's engine in virtual time, with no servers. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Asks what a policy would have done: runs a scenario through Lumen's observers, engine and",
      "change applier in virtual time, with no servers, prints the decision timeline and checks",
      "the scenario's expectations. Exit code 0 when all are met, 1 when not, 2 on bad input."
    })
final class BacktestCommand implements Callable<Integer> {
  @Option(
      names = "--scenario",
      required = true,
      paramLabel = "FILE|NAME",
      description = "A scenario file, or the name of one shipped in samples/scenarios.")
  String scenario;

  @Option(
      names = "--metric-data-delay",
      defaultValue = "1m",
      description =
          "How late metric data is taken to arrive, as the operator's flag (default ${DEFAULT-VALUE}).")
  String dataDelay;

  @picocli.CommandLine.Mixin ReportOptions reports = new ReportOptions();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    ScenarioFile.Loaded loaded = Scenarios.load(scenario);
    long started = System.nanoTime();
    Recording recording = new Backtest(loaded, dev.lumen.engine.Durations.parse(dataDelay)).run();
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
}
