package dev.lumen.benchmarks.quality;

import dev.lumen.benchmarks.quality.RolloutOutcome.Kind;
import dev.lumen.sim.scenario.Backtest;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioFile;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * How good Lumen's rollout decisions are: for each case, many seeded simulations of one canary
 * through the backtest (Lumen's own observers, engine and change applier, with the default rollout
 * and analysis), and the same series under Flagger's semantics. Prints false-rollback and
 * missed-regression rates and detection times, against the sequential-test minimum.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.lumen.benchmarks.quality.DecisionQuality [runs]
 * [--why CASE]}; with {@code --why} it prints why each wrong decision in that case's runs was
 * taken.
 */
public final class DecisionQuality {
  static final double HEALTHY_ERROR_PERCENT = 0.5;
  static final double HEALTHY_MEDIAN_MILLIS = 80;

  /** The simulator's log-normal spread of latency (SimWorld). */
  static final double LATENCY_SIGMA = 0.4;

  static final Duration DATA_DELAY = Duration.ofMinutes(1);

  /** The analysis defaults: {@code tolerance: "25"}, and the comparison's absolute floor. */
  static final double TOLERANCE = 0.25;

  static final double ERROR_RATE_FLOOR = 0.001;

  /** Lumen's default steps: 5 % and 10 % for 10 minutes each, 50 % for 10 minutes, then 100 %. */
  static final List<SequentialMinimum.Step> DEFAULT_SCHEDULE =
      List.of(
          new SequentialMinimum.Step(5, Duration.ofMinutes(10)),
          new SequentialMinimum.Step(10, Duration.ofMinutes(10)),
          new SequentialMinimum.Step(50, Duration.ofMinutes(10)),
          new SequentialMinimum.Step(100, Duration.ZERO));

  /**
   * One situation: a canary deployed at minute 1 next to a stable revision with 0.5 % errors and an
   * 80 ms median.
   */
  record Case(String name, double requestsPerSecond, double errorPercent, double medianMillis) {
    boolean regression() {
      return errorPercent != HEALTHY_ERROR_PERCENT || medianMillis != HEALTHY_MEDIAN_MILLIS;
    }

    /**
     * Per request, of the regression from the canary it must be told from: the healthy one, or with
     * {@code fromTolerance} the worst canary Lumen's comparison with stable must not roll back (the
     * analysis's default tolerance of 25 %, at least 0.1 points of error rate).
     */
    double divergence(boolean fromTolerance) {
      if (errorPercent != HEALTHY_ERROR_PERCENT) {
        double healthy = HEALTHY_ERROR_PERCENT / 100;
        double tolerated = Math.max(healthy * (1 + TOLERANCE), healthy + ERROR_RATE_FLOOR);
        return SequentialMinimum.bernoulliDivergence(
            errorPercent / 100, fromTolerance ? tolerated : healthy);
      }
      double median = HEALTHY_MEDIAN_MILLIS * (fromTolerance ? 1 + TOLERANCE : 1);
      return SequentialMinimum.logNormalDivergence(medianMillis, median, LATENCY_SIGMA);
    }

    String scenario() {
      return """
          apiVersion: sim.lumen.dev/v1alpha1
          kind: Scenario
          name: quality-%s
          seed: 1
          duration: 120m
          services:
            - name: checkout
              requestsPerMinute: %s
              revision: {name: checkout-00001, errorPercent: %s, medianLatency: %sms}
          timeline:
            - at: 1m
              deploy: {service: checkout, revision: checkout-00002, errorPercent: %s, medianLatency: %sms}
          resources:
            - apiVersion: lumen.dev/v1alpha1
              kind: LumenPolicy
              metadata: {name: checkout}
              spec:
                service:
                  cloudRun: {project: demo-project, region: europe-west1, name: checkout}
                mode: Enforce
                rollout:
                  rollback: {automatic: true, gracePeriod: 0s}
          expect:
            - %s: {service: checkout, revision: checkout-00002%s}
          """
          .formatted(
              name,
              number(requestsPerSecond * 60),
              number(HEALTHY_ERROR_PERCENT),
              number(HEALTHY_MEDIAN_MILLIS),
              number(errorPercent),
              number(medianMillis),
              regression() ? "rolledBack" : "promoted",
              regression() ? ", within: 120m" : "");
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case("healthy-1rps", 1, HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("healthy-10rps", 10, HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("healthy-100rps", 100, HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("errors-2x-10rps", 10, 2 * HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("errors-2x-100rps", 100, 2 * HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("errors-5x-10rps", 10, 5 * HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("errors-5x-100rps", 100, 5 * HEALTHY_ERROR_PERCENT, HEALTHY_MEDIAN_MILLIS),
          new Case("latency-150pct-10rps", 10, HEALTHY_ERROR_PERCENT, 1.5 * HEALTHY_MEDIAN_MILLIS),
          new Case("latency-150pct-1rps", 1, HEALTHY_ERROR_PERCENT, 1.5 * HEALTHY_MEDIAN_MILLIS));

  private static final String CANARY = "checkout-00002";

  private DecisionQuality() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (args.length > 2 && args[1].equals("--why")) {
      explainWrongDecisions(runs, args[2]);
      return;
    }
    var minimum = new SequentialMinimum(0.01, 0.05);
    System.out.printf(
        Locale.ROOT,
        "%d seeded runs per case; canary next to a stable revision with %.1f %% errors and a %.0f ms"
            + " median latency%n%n",
        runs,
        HEALTHY_ERROR_PERCENT,
        HEALTHY_MEDIAN_MILLIS);
    System.out.println(
        "| Case | System | Promoted | Rolled back | Undecided | False rollback | Missed"
            + " | Decided after, median | p95 | Sequential minimum | Minimum from tolerance |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    long started = System.nanoTime();
    for (Case c : CASES) {
      ScenarioFile.Loaded loaded = ScenarioFile.parse(c.name(), c.scenario());
      String floor = " | ";
      if (c.regression()) {
        floor = minimum(minimum, c, false) + " | " + minimum(minimum, c, true);
      }
      print(c, "Lumen", simulate(runs, seed -> backtest(loaded, seed).minutes("checkout")), floor);
      var flagger = new FlaggerBaseline(FlaggerBaseline.Settings.DOCUMENTED);
      print(
          c,
          "Flagger semantics",
          simulate(runs, seed -> flagger.run(loaded.scenario().withSeed(seed))),
          floor);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d simulations in %.1f s%n",
        CASES.size() * runs * 2,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Prints why Lumen decided wrongly in each run of one case that it did: the rollbacks of a
   * healthy canary, the promotions of a regression, each with the analysis before it.
   */
  private static void explainWrongDecisions(int runs, String caseName) {
    Case c =
        CASES.stream()
            .filter(k -> k.name().equals(caseName))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no case " + caseName));
    ScenarioFile.Loaded loaded = ScenarioFile.parse(c.name(), c.scenario());
    for (long seed = 1000; seed < 1000 + runs; seed++) {
      var journal = backtest(loaded, seed).journal();
      String wrong = c.regression() ? "Promoted" : "Rollback";
      String lastAnalysis = "";
      for (var entry : journal.entries()) {
        if (entry.kind().equals("Analysis")) {
          lastAnalysis = entry.text();
        } else if (entry.kind().equals(wrong)) {
          System.out.printf(
              Locale.ROOT,
              "seed %d, %s: %s%n  last analysis: %s%n",
              seed,
              entry.time(),
              entry.text(),
              lastAnalysis);
        }
      }
    }
  }

  /** Lumen in the backtest, on the case's world with this seed. */
  private static Recording backtest(ScenarioFile.Loaded loaded, long seed) {
    return Backtest.run(
        new ScenarioFile.Loaded(
            loaded.scenario().withSeed(seed),
            loaded.policies(),
            loaded.sloTargets(),
            loaded.secrets()));
  }

  private static List<RolloutOutcome> simulate(
      int runs, Function<Long, List<ServedMinute>> simulation) {
    return IntStream.range(0, runs)
        .parallel()
        .mapToObj(i -> RolloutOutcome.of(simulation.apply(1000L + i), CANARY))
        .toList();
  }

  private static String minimum(SequentialMinimum minimum, Case c, boolean fromTolerance) {
    double requests = minimum.expectedRequests(c.divergence(fromTolerance));
    return minutes(
            SequentialMinimum.time(
                requests, c.requestsPerSecond() * 60, DEFAULT_SCHEDULE, DATA_DELAY))
        + String.format(Locale.ROOT, " (%.0f requests)", requests);
  }

  /**
   * @param floor the sequential minimums, from healthy and from the tolerance, as two table cells
   */
  private static void print(Case c, String system, List<RolloutOutcome> outcomes, String floor) {
    long promoted = count(outcomes, Kind.PROMOTED);
    long rolledBack = count(outcomes, Kind.ROLLED_BACK);
    long undecided = count(outcomes, Kind.UNDECIDED);
    double runs = outcomes.size();
    String falseRollback = c.regression() ? "" : percent(rolledBack / runs);
    String missed = c.regression() ? percent((promoted + undecided) / runs) : "";
    // A regression's right decision is a rollback, a healthy canary's a promotion: how long it
    // took, from the canary's first traffic.
    double[] decided =
        outcomes.stream()
            .filter(o -> o.kind() == (c.regression() ? Kind.ROLLED_BACK : Kind.PROMOTED))
            .map(RolloutOutcome::decidedAfter)
            .flatMap(Optional::stream)
            .mapToDouble(d -> d.toSeconds() / 60.0)
            .toArray();
    String median = "";
    String p95 = "";
    if (decided.length > 0) {
      Quantile quantile = Quantile.withDefaults();
      median = String.format(Locale.ROOT, "%.1f min", quantile.evaluate(decided, 0.5));
      p95 = String.format(Locale.ROOT, "%.1f min", quantile.evaluate(decided, 0.95));
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s |%n",
        c.name(),
        system,
        promoted,
        rolledBack,
        undecided,
        falseRollback,
        missed,
        median,
        p95,
        floor);
  }

  private static long count(List<RolloutOutcome> outcomes, Kind kind) {
    return outcomes.stream().filter(o -> o.kind() == kind).count();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%.1f min", d.toSeconds() / 60.0);
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
