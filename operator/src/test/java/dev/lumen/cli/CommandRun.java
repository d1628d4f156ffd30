package dev.lumen.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The exit code and output of one in-process run of the command line. */
record CommandRun(int exitCode, String out, String err) {
  static CommandRun of(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var commandLine = LumenCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }
}
