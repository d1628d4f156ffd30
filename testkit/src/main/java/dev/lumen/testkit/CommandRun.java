package dev.lumen.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The exit code and output of one in-process run of a command line. */
public record CommandRun(int exitCode, String out, String err) {
  public static CommandRun of(CommandLine commandLine, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }
}
