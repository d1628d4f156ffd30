package dev.lumen.cli.kubectl;

import dev.lumen.engine.rollout.Command;
import picocli.CommandLine;

/** Adds the {@code kubectl lumen} commands to a command line. */
public final class KubectlCommands {
  private KubectlCommands() {}

  public static CommandLine addTo(CommandLine commandLine) {
    commandLine.addSubcommand(new GetCommand());
    commandLine.addSubcommand(new PromoteCommand());
    steer(commandLine, "approve", Command.APPROVE, "Pass the approval step the rollout waits at.");
    steer(commandLine, "abort", Command.ABORT, "Roll the canary back now, without a grace period.");
    steer(
        commandLine,
        "hold",
        Command.HOLD,
        "Keep an announced (or future) automatic rollback from executing.");
    steer(commandLine, "release", Command.RELEASE, "Let held rollbacks execute again.");
    steer(
        commandLine,
        "retry",
        Command.RETRY,
        "Allow the failed revision again, cancel a pending rollback, or resume a paused rollout.");
    commandLine.addSubcommand(new StatusCommand());
    return commandLine;
  }

  private static void steer(CommandLine commandLine, String name, Command command, String what) {
    var sub = new CommandLine(new SteerCommand(command));
    sub.getCommandSpec().name(name);
    sub.getCommandSpec().mixinStandardHelpOptions(true);
    sub.getCommandSpec()
        .usageMessage()
        .description(
            what + " (annotation " + command.annotation() + ")", "Exit code 0 when asked.");
    commandLine.addSubcommand(name, sub);
  }
}
