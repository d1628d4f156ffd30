package dev.lumen.sim.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.lumen.sim.scenario.Expectations;
import dev.lumen.sim.scenario.Journal;
import dev.lumen.sim.scenario.LiveRun;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioFile;
import dev.lumen.sim.scenario.TextView;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lumen at work in one command: a scenario run live against the real operator. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a scenario live and show what Lumen decides as it happens.",
      "An embedded Kubernetes API server, simulated Cloud Run and Cloud Monitoring on loopback, a"
          + " real Redis and the real operator, on a clock that runs --speed times faster than"
          + " real time; then the scenario's expectations are checked.",
      "Exit code 0 when all are met, 1 when not, 2 on bad input.",
      "The default scenario: a canary that fails is rolled back, then its fix is promoted."
    })
final class DemoCommand implements Callable<Integer> {
  static final String DEFAULT_SCENARIO = "regression-then-fix";

  @Option(
      names = "--scenario",
      defaultValue = DEFAULT_SCENARIO,
      paramLabel = "FILE|NAME",
      description =
          "A scenario file, or the name of one shipped in samples/scenarios (default"
              + " ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--speed",
      defaultValue = "120",
      description =
          "How much faster than real time the scenario runs; 120 makes an hour 30 seconds"
              + " (default ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description = "Use this Redis for the scenario's cache instead of starting one.")
  URI redis;

  @Option(
      names = "--write-kubeconfig",
      paramLabel = "PATH",
      defaultValue = "${java.io.tmpdir}/lumen-local.kubeconfig",
      description =
          "Where to write a kubeconfig for the demo's API server while it runs, so that kubectl"
              + " and kubectl lumen can look on (default ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--verbose", description = "Show the operator's log.")
  boolean verbose;

  @picocli.CommandLine.Mixin ReportOptions reports = new ReportOptions();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(speed >= 1 && speed <= 600)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--speed must lie within 1..600, e.g. 120");
    }
    Runnable restoreLogs = verbose ? () -> {} : quietLogs();
    try {
      return run();
    } finally {
      restoreLogs.run();
    }
  }

  private int run() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ScenarioFile.Loaded loaded = Scenarios.load(scenario);
    var s = loaded.scenario();
    boolean terminal = System.console() != null && !reports.jsonToStdout();
    boolean color = terminal && TextView.colorAllowed(System.getenv());
    PrintWriter viewOut =
        reports.jsonToStdout() ? new PrintWriter(java.io.Writer.nullWriter()) : out;
    var view = new TextView(viewOut, s.startTime(), color);
    view.heading(
        s,
        "live demo of "
            + s.duration()
            + " at "
            + Math.round(speed)
            + "x: about "
            + Duration.ofMillis(Math.round(s.length().toMillis() / speed)).toSeconds()
            + " s");
    loaded.policies().stream()
        .findFirst()
        .ifPresent(
            policy -> {
              viewOut.println(
                  "Look on while it runs: export KUBECONFIG="
                      + kubeconfig
                      + "; kubectl lumen get "
                      + policy.getMetadata().getName()
                      + " -w");
              viewOut.println();
            });
    var screen = new Screen(viewOut, view, terminal, s.endTime());
    Recording recording =
        new LiveRun(loaded, speed, Optional.ofNullable(redis))
            .withKubeconfig(kubeconfig)
            .run(
                screen::entry,
                new LiveRun.Watcher() {
                  @Override
                  public void tick(Instant now, Recording recording) {
                    screen.tick(now, recording);
                  }

                  @Override
                  public void note(Instant now, String line) {
                    screen.note(now, line);
                  }
                });
    screen.done();
    var results = Expectations.check(s, recording);
    view.results(results);
    reports.write(loaded, recording, results, "demo", out, spec.commandLine().getErr());
    return Expectations.allMet(results) ? 0 : 1;
  }

  /**
   * Only errors are logged while the demo runs: its own view is the output. Returns what puts the
   * levels back.
   */
  private static Runnable quietLogs() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<Logger, Level> before = new HashMap<>();
    context.getLoggerList().stream()
        .filter(l -> l.getLevel() != null)
        .forEach(
            l -> {
              before.put(l, l.getLevel());
              l.setLevel(Level.ERROR);
            });
    // gRPC logs through java.util.logging.
    var jul = java.util.logging.Logger.getLogger("");
    var julBefore = jul.getLevel();
    jul.setLevel(java.util.logging.Level.WARNING);
    return () -> {
      before.forEach(Logger::setLevel);
      jul.setLevel(julBefore);
    };
  }

  /**
   * The terminal while the demo runs: entries scroll, and on a terminal one progress line stays at
   * the bottom; elsewhere (a pipe, CI) the progress is printed every ten scenario minutes.
   */
  private static final class Screen {
    private static final Duration EVERY = Duration.ofMinutes(10);
    private final PrintWriter out;
    private final TextView view;
    private final boolean terminal;
    private final Instant end;
    private String progress = "";
    private Instant nextPrinted = Instant.MIN;

    Screen(PrintWriter out, TextView view, boolean terminal, Instant end) {
      this.out = out;
      this.view = view;
      this.terminal = terminal;
      this.end = end;
    }

    synchronized void entry(Journal.Entry entry) {
      clear();
      view.entry(entry);
      redraw();
    }

    synchronized void tick(Instant now, Recording recording) {
      progress = view.progress(now, end, recording);
      if (terminal) {
        clear();
        redraw();
      } else if (!now.isBefore(nextPrinted)) {
        out.println(progress);
        out.flush();
        nextPrinted = (nextPrinted == Instant.MIN ? now : nextPrinted).plus(EVERY);
      }
    }

    /** A line about the demo itself, between the entries. */
    synchronized void note(Instant now, String text) {
      clear();
      view.note(now, text);
      redraw();
    }

    synchronized void done() {
      if (terminal) {
        clear();
        out.println(progress);
        out.flush();
      }
    }

    private void clear() {
      if (terminal) {
        out.print("\r\u001b[2K");
      }
    }

    private void redraw() {
      if (terminal) {
        out.print(progress);
        out.flush();
      }
    }
  }
}
