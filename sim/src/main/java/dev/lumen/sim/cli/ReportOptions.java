package dev.lumen.sim.cli;

import dev.lumen.sim.scenario.Expectations;
import dev.lumen.sim.scenario.HtmlReport;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.RunReport;
import dev.lumen.sim.scenario.ScenarioFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where demo and backtest write what a run amounted to, besides the terminal. */
final class ReportOptions {
  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Write a self-contained HTML report with charts to FILE.")
  Path report;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the run as JSON to FILE ('-' for standard output, instead of the view).")
  String json;

  boolean jsonToStdout() {
    return "-".equals(json);
  }

  void write(
      ScenarioFile.Loaded loaded,
      Recording recording,
      List<Expectations.Result> results,
      String mode,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    if (report == null && json == null) {
      return;
    }
    RunReport run = RunReport.of(loaded, recording, results, mode);
    if (report != null) {
      Files.writeString(report, HtmlReport.render(run), StandardCharsets.UTF_8);
      err.println("report written to " + report.toAbsolutePath());
    }
    if (jsonToStdout()) {
      run.writeJson(new NonClosing(out));
      out.println();
      out.flush();
    } else if (json != null) {
      try (Writer writer = Files.newBufferedWriter(Path.of(json), StandardCharsets.UTF_8)) {
        run.writeJson(writer);
      }
      err.println("JSON written to " + Path.of(json).toAbsolutePath());
    }
    err.flush();
  }

  /** Jackson closes what it writes to; standard output must stay open. */
  private static final class NonClosing extends java.io.FilterWriter {
    NonClosing(Writer out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
