package dev.lumen.cli;

import dev.lumen.sim.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lumen-operator.jar} command line. */
@Command(
    name = "lumen",
    description = "Lumen keeps Google Cloud Run services inside their SLOs and their budget.",
    mixinStandardHelpOptions = true,
    versionProvider = LumenCommand.Version.class,
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ValidateCommand.class,
      BacktestCommand.class,
      RulesCommand.class
    })
public final class LumenCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new LumenCommand())
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              commandLine.getErr().println("lumen: " + exception.getMessage());
              // A scenario that cannot run is bad input, like a wrong option.
              return exception instanceof ScenarioException ? 2 : 3;
            });
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LumenCommand.class.getPackage().getImplementationVersion();
      return new String[] {"lumen " + (version == null ? "development build" : version)};
    }
  }
}
