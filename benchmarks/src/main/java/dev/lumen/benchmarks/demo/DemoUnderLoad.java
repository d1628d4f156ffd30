package dev.lumen.benchmarks.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code lumen demo} on shipped scenarios, each {@code runs} times, with {@code busy}
 * CPU-bound processes running beside it the whole time, and prints how many runs met all their
 * expectations, how many runs slowed the demo's clock to keep up, the lowest speed any run fell to
 * and the speeds runs ended at (the demo speeds up again once the machine keeps up).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.lumen.benchmarks.demo.DemoUnderLoad \
 *     sim/target/lumen.jar [runs=10] [busy=2] [scenario ...]
 * </pre>
 *
 * <p>Without scenarios it runs every scenario in samples/scenarios. Each demo is its own JVM, as a
 * person starts it; the busy processes are JVMs spinning on one thread each, checked alive after
 * every run, and the load column is the 1-minute load average at the end of each run, averaged.
 * Each demo runs with {@code --verbose}; a run that misses an expectation is written whole, the
 * operator's log included, to {@code demo-under-load-SCENARIO-runN.log} in the working directory.
 */
public final class DemoUnderLoad {
  /** The demo's line when it changes its clock's speed (PaceKeeper.SpeedChange). */
  private static final Pattern SPEED = Pattern.compile("running at (\\d+)x from here");

  /** The start of that line when the change is a slowdown. */
  private static final String SLOWED = "cannot keep up";

  private DemoUnderLoad() {}

  /** The body of a busy process: spin until killed. */
  public static final class Spin {
    private Spin() {}

    public static void main(String[] args) {
      // Until killed. An earlier version looped while x stayed positive, which it does for about
      // a dozen turns: its "busy" processes exited at once and loaded nothing.
      long x = 0;
      while (true) {
        x = x * 31 + 7;
        if (x == 42) {
          System.out.println(x);
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int busy = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<String> scenarios =
        args.length > 3 ? Arrays.asList(args).subList(3, args.length) : shippedScenarios();
    List<Process> spinners = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < busy; i++) {
      spinners.add(
          new ProcessBuilder(
                  java, "-cp", System.getProperty("java.class.path"), Spin.class.getName())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
    int allPassed = 0;
    int allRuns = 0;
    try {
      System.out.printf(
          "%d CPU-bound processes beside each demo on %d cores%n%n",
          busy, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "%-26s %6s %7s %7s %7s %12s %10s %6s%n",
          "scenario", "runs", "passed", "slowed", "lowest", "final speed", "wall s", "load");
      for (String scenario : scenarios) {
        int passed = 0;
        int slowed = 0;
        double lowest = Double.MAX_VALUE;
        double lowestFinal = Double.MAX_VALUE;
        double highestFinal = 0;
        double wall = 0;
        double load = 0;
        List<String> failures = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          Result result = demo(java, jar, scenario);
          // The figures are only worth what the load beside them was.
          if (!spinners.stream().allMatch(Process::isAlive)) {
            throw new IllegalStateException("a busy process exited: the machine was not loaded");
          }
          load += loadAverage();
          passed += result.exitCode() == 0 ? 1 : 0;
          slowed += result.slowed() ? 1 : 0;
          lowest = Math.min(lowest, result.lowestSpeed());
          lowestFinal = Math.min(lowestFinal, result.finalSpeed());
          highestFinal = Math.max(highestFinal, result.finalSpeed());
          wall += result.seconds();
          if (result.exitCode() != 0) {
            // The whole run, the operator's log included, so that a failure can be understood.
            Path log = Path.of("demo-under-load-" + scenario + "-run" + run + ".log");
            Files.writeString(log, result.output());
            failures.add("run " + run + ": " + result.notMet() + " (whole run: " + log + ")");
          }
        }
        allPassed += passed;
        allRuns += runs;
        System.out.printf(
            "%-26s %6d %7d %7d %7s %12s %10.0f %6.1f%n",
            scenario,
            runs,
            passed,
            slowed,
            String.format("%.0fx", lowest),
            lowestFinal == highestFinal
                ? String.format("%.0fx", lowestFinal)
                : String.format("%.0f-%.0fx", lowestFinal, highestFinal),
            wall / runs,
            load / runs);
        failures.forEach(f -> System.out.println("    " + f));
      }
      System.out.printf("%n%d of %d runs met all their expectations%n", allPassed, allRuns);
    } finally {
      spinners.forEach(Process::destroyForcibly);
    }
    System.exit(allPassed == allRuns ? 0 : 1);
  }

  /** The 1-minute load average at the end of a run, from /proc/loadavg. */
  private static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private record Result(
      int exitCode,
      boolean slowed,
      double lowestSpeed,
      double finalSpeed,
      double seconds,
      String notMet,
      String output) {}

  private static Result demo(String java, Path jar, String scenario)
      throws IOException, InterruptedException {
    Path kubeconfig = Files.createTempFile("lumen-demo-under-load", ".kubeconfig");
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(
                java,
                "-jar",
                jar.toString(),
                "demo",
                "--scenario",
                scenario,
                "--write-kubeconfig",
                kubeconfig.toString(),
                "--verbose")
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    double seconds = (System.nanoTime() - started) / 1e9;
    double last = 120;
    double lowest = last;
    boolean slowed = false;
    List<String> notMet = new ArrayList<>();
    for (String line : out.lines().toList()) {
      var speed = SPEED.matcher(line);
      if (speed.find()) {
        last = Double.parseDouble(speed.group(1));
        lowest = Math.min(lowest, last);
        slowed |= line.contains(SLOWED);
      }
      if (line.contains("NOT MET")) {
        notMet.add(line.strip());
      }
    }
    if (code != 0 && notMet.isEmpty()) {
      notMet.add("exit " + code + ": " + out.lines().reduce((a, b) -> b).orElse(""));
    }
    return new Result(code, slowed, lowest, last, seconds, String.join("; ", notMet), out);
  }

  private static List<String> shippedScenarios() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("samples", "scenarios"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    }
  }
}
