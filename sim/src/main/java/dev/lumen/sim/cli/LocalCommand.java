package dev.lumen.sim.cli;

import dev.lumen.cli.CheckCommand;
import dev.lumen.cli.ExportCommand;
import dev.lumen.cli.LumenCommand;
import dev.lumen.cli.MonitoringCommand;
import dev.lumen.cli.NotifyTestCommand;
import dev.lumen.cli.RulesCommand;
import dev.lumen.cli.RunCommand;
import dev.lumen.cli.ValidateCommand;
import dev.lumen.cli.kubectl.KubectlCommands;
import dev.lumen.runtime.CommonPool;
import dev.lumen.sim.scenario.ScenarioException;
import dev.lumen.sim.scenario.ScenarioFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The local tool ({@code ./lumen}, {@code sim/target/lumen.jar}): the operator's commands, and the
 * simulator's: demo, backtest, run-local and run-simulated.
 */
@Command(
    name = "lumen",
    description = {
      "Lumen keeps Google Cloud Run services inside their SLOs and their budget.",
      "The local tool: the operator's commands (run, validate, rules, monitoring, export,"
          + " notify-test, check) and"
          + " the"
          + " simulator's (demo,"
          + " backtest, run-local, run-simulated)."
    },
    mixinStandardHelpOptions = true,
    versionProvider = LumenCommand.Version.class,
    subcommands = {
      DemoCommand.class,
      BacktestCommand.class,
      RunCommand.class,
      RunLocalCommand.class,
      RunSimulatedCommand.class,
      RulesCommand.class,
      MonitoringCommand.class,
      ExportCommand.class,
      NotifyTestCommand.class,
      CheckCommand.class
    })
public final class LocalCommand {
  public static void main(String[] args) {
    CommonPool.atLeastTwoThreads();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it in-process. */
  public static CommandLine commandLine() {
    var commandLine = new CommandLine(new LocalCommand());
    // Here validate checks scenario files too, which the operator's jar cannot.
    commandLine.addSubcommand(
        "validate", new ValidateCommand(Optional.of(LocalCommand::scenarioProblems)));
    KubectlCommands.addTo(commandLine);
    // A scenario that cannot run is bad input, like a wrong option.
    return LumenCommand.withExitCodes(commandLine, e -> e instanceof ScenarioException);
  }

  /** A scenario is checked whole, with the resources inside it. */
  private static List<String> scenarioProblems(Path file) {
    try {
      ScenarioFile.load(file);
      return List.of();
    } catch (ScenarioException e) {
      return e.problems();
    }
  }
}
