package dev.lumen.cli;

import dev.lumen.cli.kubectl.KubectlCommands;
import dev.lumen.runtime.CommonPool;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lumen-operator.jar} command line: the operator and its offline checks. */
@Command(
    name = "lumen",
    description = "Lumen keeps Google Cloud Run services inside their SLOs and their budget.",
    mixinStandardHelpOptions = true,
    versionProvider = LumenCommand.Version.class,
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      RulesCommand.class,
      MonitoringCommand.class,
      ExportCommand.class,
      NotifyTestCommand.class,
      CheckCommand.class
    })
public final class LumenCommand {
  public static void main(String[] args) {
    CommonPool.atLeastTwoThreads();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it in-process. */
  public static CommandLine commandLine() {
    // Exit codes 1 and 2 of the kubectl commands have meanings of their own (status): their
    // failures, such as a policy that is not there, exit 3.
    return withExitCodes(KubectlCommands.addTo(new CommandLine(new LumenCommand())), e -> false);
  }

  /**
   * Prints a failure as one line and exits 3, or 2 (like a wrong option) when the failure is bad
   * input.
   */
  public static CommandLine withExitCodes(CommandLine commandLine, Predicate<Exception> badInput) {
    return commandLine.setExecutionExceptionHandler(
        (exception, cl, parseResult) -> {
          cl.getErr().println("lumen: " + exception.getMessage());
          return badInput.test(exception) ? 2 : 3;
        });
  }

  /** The version of the jar a command runs from. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LumenCommand.class.getPackage().getImplementationVersion();
      return new String[] {"lumen " + (version == null ? "development build" : version)};
    }
  }
}
