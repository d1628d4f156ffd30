package dev.lumen.benchmarks.quality;

import dev.lumen.benchmarks.quality.RolloutOutcome.Kind;
import dev.lumen.sim.scenario.Backtest;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioFile;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * How good Lumen's rollout decisions are: for each case, many seeded simulations of one canary
 * through the backtest (Lumen's own loop, with the default rollout and analysis), and the same
 * series under Flagger's tutorial semantics and Argo Rollouts' documented example. Prints
 * false-rollback, promoted and held rates and decision times, against the sequential-test minimum.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.lumen.benchmarks.quality.DecisionQuality [runs]
 * [--cases a,b] [--json]}; {@code --why CASE} prints why each wrong decision in that case's runs
 * was taken, {@code --trace CASE SEED} one run's journal, {@code --late-arrivals} the cases that
 * must not be rolled back with Cloud Monitoring's one-to-three-minute arrivals.
 */
public final class DecisionQuality {
  static final double HEALTHY_ERROR_PERCENT = 0.5;
  static final double HEALTHY_MEDIAN_MILLIS = 80;

  /** The simulator's log-normal spread of latency (SimWorld). */
  static final double LATENCY_SIGMA = 0.4;

  /** The world's metric delay, and Lumen's setting; {@code -Dlumen.delayMinutes=3} for another. */
  static final Duration DATA_DELAY = Duration.ofMinutes(Long.getLong("lumen.delayMinutes", 1));

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

  /** What happens to the world's error rates besides the canary's. */
  enum World {
    /** Both revisions fail as often throughout, and as in the day before. */
    STEADY(1),
    /**
     * A dependency fails: both revisions fail four times as often for 5 minutes of the 50 % step
     * (minutes 22 to 27). On a stable at 0.2 % errors this stays under the absolute limits (1 %),
     * which would roll back any canary failing that often, so it tries the comparison alone.
     */
    BLIP(1),
    /** Stable fails half as often from the rollout's start as in the day before it. */
    STABLE_HALVES(2),
    /** Stable fails a quarter less often from the rollout's start than in the day before it. */
    STABLE_QUARTER_LOWER(4 / 3.0);

    /** Stable's error rate in the day before the rollout over its rate during it. */
    final double before;

    World(double before) {
      this.before = before;
    }
  }

  /** What the right decision is in a case. */
  enum Expect {
    /** A healthy canary: promote it; a rollback is a false rollback. */
    PROMOTE,
    /** A canary within the tolerance: rolling it back is a false rollback; promoting is right. */
    KEEP,
    /** A regression: roll it back; a promotion is a miss. */
    ROLL_BACK
  }

  /**
   * One situation: a canary deployed at minute 1 next to a stable revision with {@code
   * stableErrorPercent} errors and an 80 ms median.
   *
   * @param errorRatio the canary's error rate over stable's
   * @param latencyRatio the canary's latency over stable's
   * @param stableErrorPercent stable's error rate during the rollout
   * @param mustCatchErrorRate the policy's {@code analysis.mustCatch.errorRate}, or null for the
   *     default
   * @param stableHistory the policy's {@code analysis.stableHistory}, or null for the default
   */
  record Case(
      String name,
      double requestsPerSecond,
      double stableErrorPercent,
      double errorRatio,
      double latencyRatio,
      String mustCatchErrorRate,
      Expect expect,
      World world,
      String stableHistory) {
    static Case of(String name, double rps, double errorRatio, double latencyRatio, Expect expect) {
      return new Case(
          name,
          rps,
          HEALTHY_ERROR_PERCENT,
          errorRatio,
          latencyRatio,
          null,
          expect,
          World.STEADY,
          null);
    }

    static Case mustCatch(String name, double rps, double errorRatio, String mustCatch) {
      return new Case(
          name,
          rps,
          HEALTHY_ERROR_PERCENT,
          errorRatio,
          1,
          mustCatch,
          errorRatio == 1 ? Expect.PROMOTE : Expect.ROLL_BACK,
          World.STEADY,
          null);
    }

    /** This case in another world, named with {@code suffix}. */
    Case in(World other, String suffix) {
      return variant(name + "-" + suffix, other, stableHistory);
    }

    /**
     * This case with the policy counting a day of stable's history ({@code stableHistory: 24h}).
     */
    Case withHistory() {
      return variant(name + "-history", world, "24h");
    }

    private Case variant(String otherName, World otherWorld, String otherHistory) {
      return new Case(
          otherName,
          requestsPerSecond,
          stableErrorPercent,
          errorRatio,
          latencyRatio,
          mustCatchErrorRate,
          expect,
          otherWorld,
          otherHistory);
    }

    boolean regression() {
      return expect == Expect.ROLL_BACK;
    }

    private String analysis() {
      List<String> fields = new ArrayList<>();
      if (mustCatchErrorRate != null) {
        fields.add("mustCatch: {errorRate: " + mustCatchErrorRate + "}");
      }
      if (stableHistory != null) {
        fields.add("stableHistory: " + stableHistory);
      }
      return fields.isEmpty() ? "" : "\n        analysis: {" + String.join(", ", fields) + "}";
    }

    /** Both revisions four times worse from minute 22 to 27, then as before. */
    private String blip() {
      return behave("22m", "checkout-00001", stableErrorPercent * 4)
          + behave("22m", "checkout-00002", errorPercent() * 4)
          + behave("27m", "checkout-00001", stableErrorPercent)
          + behave("27m", "checkout-00002", errorPercent());
    }

    private static String behave(String at, String revision, double errorPercent) {
      return "\n  - at: %s\n    behave: {service: checkout, revision: %s, errorPercent: %s}"
          .formatted(at, revision, number(errorPercent));
    }

    double errorPercent() {
      return stableErrorPercent * errorRatio;
    }

    double medianMillis() {
      return HEALTHY_MEDIAN_MILLIS * latencyRatio;
    }

    /**
     * Per request, of the regression from the canary it must be told from: the healthy one, or with
     * {@code fromTolerance} the worst canary Lumen's comparison with stable must not roll back (the
     * analysis's default tolerance of 25 %, at least 0.1 points of error rate).
     */
    double divergence(boolean fromTolerance) {
      if (errorRatio != 1) {
        double healthy = stableErrorPercent / 100;
        double tolerated = Math.max(healthy * (1 + TOLERANCE), healthy + ERROR_RATE_FLOOR);
        return SequentialMinimum.bernoulliDivergence(
            errorPercent() / 100, fromTolerance ? tolerated : healthy);
      }
      double median = HEALTHY_MEDIAN_MILLIS * (fromTolerance ? 1 + TOLERANCE : 1);
      return SequentialMinimum.logNormalDivergence(medianMillis(), median, LATENCY_SIGMA);
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
              requestsPerMinute: %s%s
              revision: {name: checkout-00001, errorPercent: %s, medianLatency: %sms}
          timeline:%s
            - at: 1m
              deploy: {service: checkout, revision: checkout-00002, errorPercent: %s, medianLatency: %sms}%s
          resources:
            - apiVersion: lumen.dev/v1alpha1
              kind: LumenPolicy
              metadata: {name: checkout}
              spec:
                service:
                  cloudRun: {project: demo-project, region: europe-west1, name: checkout}
                mode: Enforce
                rollout:
                  rollback: {automatic: true, gracePeriod: 0s}%s
          expect:
            - %s: {service: checkout, revision: checkout-00002%s}
          """
          .formatted(
              name,
              number(requestsPerSecond * 60),
              // Only where the policy reads it: writing the day's 1,440 minutes before the start
              // takes most of such a run's time.
              stableHistory == null ? "" : "\n    history: " + stableHistory,
              number(world.before * stableErrorPercent),
              number(HEALTHY_MEDIAN_MILLIS),
              world.before != 1
                  ? "\n  - at: 1m\n    behave: {service: checkout, revision: checkout-00001,"
                      + " errorPercent: "
                      + number(stableErrorPercent)
                      + "}"
                  : "",
              number(errorPercent()),
              number(medianMillis()),
              world == World.BLIP ? blip() : "",
              analysis(),
              regression() ? "rolledBack" : "promoted",
              regression() ? ", within: 120m" : "");
    }
  }

  /** A healthy canary on a stable at 0.2 % errors through a dependency's blip. */
  private static final Case DEPENDENCY_BLIP =
      new Case(
          "healthy-10rps-stable-0-2pct-blip",
          10,
          0.2,
          1,
          1,
          null,
          Expect.PROMOTE,
          World.BLIP,
          null);

  static final List<Case> CASES =
      List.of(
          Case.of("healthy-1rps", 1, 1, 1, Expect.PROMOTE),
          Case.of("healthy-10rps", 10, 1, 1, Expect.PROMOTE),
          Case.of("healthy-100rps", 100, 1, 1, Expect.PROMOTE),
          new Case(
              "healthy-10rps-stable-0-2pct",
              10,
              0.2,
              1,
              1,
              null,
              Expect.PROMOTE,
              World.STEADY,
              null),
          Case.of("tolerance-errors-10rps", 10, 1.25, 1, Expect.KEEP),
          Case.of("tolerance-errors-100rps", 100, 1.25, 1, Expect.KEEP),
          Case.of("tolerance-latency-1rps", 1, 1, 1.25, Expect.KEEP),
          Case.of("tolerance-latency-10rps", 10, 1, 1.25, Expect.KEEP),
          Case.of("tolerance-latency-100rps", 100, 1, 1.25, Expect.KEEP),
          Case.of("errors-2x-1rps", 1, 2, 1, Expect.ROLL_BACK),
          Case.of("errors-2x-10rps", 10, 2, 1, Expect.ROLL_BACK),
          Case.of("errors-2x-100rps", 100, 2, 1, Expect.ROLL_BACK),
          Case.of("errors-5x-1rps", 1, 5, 1, Expect.ROLL_BACK),
          Case.of("errors-5x-10rps", 10, 5, 1, Expect.ROLL_BACK),
          Case.of("errors-5x-100rps", 100, 5, 1, Expect.ROLL_BACK),
          Case.of("latency-1-5x-1rps", 1, 1, 1.5, Expect.ROLL_BACK),
          Case.of("latency-1-5x-10rps", 10, 1, 1.5, Expect.ROLL_BACK),
          Case.mustCatch("healthy-1rps-mustcatch-4x", 1, 1, "4x"),
          Case.mustCatch("errors-4x-1rps-mustcatch-4x", 1, 4, "4x"),
          DEPENDENCY_BLIP,
          Case.of("errors-2x-10rps", 10, 2, 1, Expect.ROLL_BACK)
              .in(World.STABLE_HALVES, "stable-halves"),
          Case.of("healthy-10rps", 10, 1, 1, Expect.PROMOTE).withHistory(),
          Case.of("errors-2x-10rps", 10, 2, 1, Expect.ROLL_BACK).withHistory(),
          Case.mustCatch("healthy-1rps-mustcatch-4x", 1, 1, "4x").withHistory(),
          Case.mustCatch("errors-4x-1rps-mustcatch-4x", 1, 4, "4x").withHistory(),
          DEPENDENCY_BLIP.withHistory(),
          Case.of("errors-2x-10rps", 10, 2, 1, Expect.ROLL_BACK)
              .in(World.STABLE_HALVES, "stable-halves")
              .withHistory(),
          Case.of("errors-2x-10rps", 10, 2, 1, Expect.ROLL_BACK)
              .in(World.STABLE_QUARTER_LOWER, "stable-25pct-lower")
              .withHistory());

  private static final String CANARY = "checkout-00002";

  private DecisionQuality() {}

  public static void main(String[] args) {
    List<String> arguments = List.of(args);
    int runs = args.length > 0 && !args[0].startsWith("-") ? Integer.parseInt(args[0]) : 200;
    int trace = arguments.indexOf("--trace");
    if (trace >= 0) {
      Case c = named(arguments.get(trace + 1));
      long seed = Long.parseLong(arguments.get(trace + 2));
      backtest(
              ScenarioFile.parse(c.name(), c.scenario()),
              seed,
              arguments.contains("--late-arrivals"))
          .journal()
          .entries()
          .forEach(e -> System.out.println(e.time() + " " + e.kind() + ": " + e.text()));
      return;
    }
    if (arguments.contains("--late-arrivals")) {
      lateArrivals(runs);
      return;
    }
    int why = arguments.indexOf("--why");
    if (why >= 0) {
      explainWrongDecisions(runs, arguments.get(why + 1));
      return;
    }
    boolean json = arguments.contains("--json");
    int only = arguments.indexOf("--cases");
    List<Case> cases =
        only < 0
            ? CASES
            : CASES.stream()
                .filter(c -> List.of(arguments.get(only + 1).split(",")).contains(c.name()))
                .toList();
    var minimum = new SequentialMinimum(0.01, 0.05);
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "%d seeded runs per case; canary next to a stable revision with %.1f %% errors (unless"
              + " the case says otherwise) and a %.0f ms median latency%n%n",
          runs,
          HEALTHY_ERROR_PERCENT,
          HEALTHY_MEDIAN_MILLIS);
      System.out.println(
          "| Case | System | Promoted | Rolled back | Held at 2 h | False rollback | Missed"
              + " | Decided after, median | p95 | Sequential minimum | Minimum from tolerance |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    }
    long started = System.nanoTime();
    for (Case c : cases) {
      ScenarioFile.Loaded loaded = ScenarioFile.parse(c.name(), c.scenario());
      String floor = " | ";
      if (c.regression()) {
        floor = minimum(minimum, c, false) + " | " + minimum(minimum, c, true);
      }
      var lumen = simulate(runs, seed -> backtest(loaded, seed).minutes("checkout"));
      var flagger = new FlaggerBaseline(FlaggerBaseline.Settings.TUTORIAL);
      var baseline = simulate(runs, seed -> flagger.run(loaded.scenario().withSeed(seed)));
      var argo = new ArgoRolloutsBaseline(0, DATA_DELAY);
      var argoRuns = simulate(runs, seed -> argo.run(loaded.scenario().withSeed(seed)));
      List<Summary> summaries =
          List.of(
              Summary.of(c, "Lumen", lumen),
              Summary.of(c, "Flagger (tutorial)", baseline),
              Summary.of(c, "Argo Rollouts (example, failureLimit 0)", argoRuns));
      for (Summary summary : summaries) {
        System.out.println(json ? summary.json() : summary.row(floor));
      }
    }
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "%n%d simulations in %.1f s%n",
          cases.size() * runs * 3,
          (System.nanoTime() - started) / 1e9);
    }
  }

  /** What one system did in one case's runs. */
  record Summary(
      Case c,
      String system,
      int runs,
      long promoted,
      long rolledBack,
      long held,
      double[] rollbackMinutes,
      double[] promotionMinutes) {
    static Summary of(Case c, String system, List<RolloutOutcome> outcomes) {
      return new Summary(
          c,
          system,
          outcomes.size(),
          count(outcomes, Kind.PROMOTED),
          count(outcomes, Kind.ROLLED_BACK),
          count(outcomes, Kind.UNDECIDED),
          minutes(outcomes, Kind.ROLLED_BACK),
          minutes(outcomes, Kind.PROMOTED));
    }

    /**
     * A markdown row; the decision timed is the right one: a regression's rollback, else promotion.
     */
    String row(String floor) {
      double[] decided = c.regression() ? rollbackMinutes : promotionMinutes;
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s |",
          c.name(),
          system,
          promoted,
          rolledBack,
          held,
          c.regression() ? "" : percent(rolledBack / (double) runs),
          c.regression() ? percent((promoted + held) / (double) runs) : "",
          quantile(decided, 0.5).map(m -> m + " min").orElse(""),
          quantile(decided, 0.95).map(m -> m + " min").orElse(""),
          floor);
    }

    /** One JSON object: the figures of issue 21's table, for machines. */
    String json() {
      return String.format(
          Locale.ROOT,
          "{\"case\":\"%s\",\"system\":\"%s\",\"runs\":%d,\"falseRollbackRate\":%s,"
              + "\"promotedRate\":%s,\"heldRate\":%s,\"detectMedianMin\":%s,"
              + "\"detectP95Min\":%s,\"promoteMedianMin\":%s,\"promoteP95Min\":%s}",
          c.name(),
          system,
          runs,
          c.regression() ? "null" : rate(rolledBack),
          rate(promoted),
          rate(held),
          quantile(rollbackMinutes, 0.5).orElse("null"),
          quantile(rollbackMinutes, 0.95).orElse("null"),
          quantile(promotionMinutes, 0.5).orElse("null"),
          quantile(promotionMinutes, 0.95).orElse("null"));
    }

    private String rate(long count) {
      return String.format(Locale.ROOT, "%.4f", count / (double) runs);
    }

    static Optional<String> quantile(double[] values, double p) {
      if (values.length == 0) {
        return Optional.empty();
      }
      return Optional.of(
          String.format(Locale.ROOT, "%.1f", Quantile.withDefaults().evaluate(values, p)));
    }

    private static double[] minutes(List<RolloutOutcome> outcomes, Kind kind) {
      return outcomes.stream()
          .filter(o -> o.kind() == kind)
          .map(RolloutOutcome::decidedAfter)
          .flatMap(Optional::stream)
          .mapToDouble(d -> d.toSeconds() / 60.0)
          .toArray();
    }
  }

  /**
   * Prints why Lumen decided wrongly in each run of one case that it did: the rollbacks of a
   * healthy canary, the promotions of a regression, each with the analysis before it.
   */
  private static void explainWrongDecisions(int runs, String caseName) {
    Case c = named(caseName);
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

  /**
   * The cases that must not be rolled back, with every series' minute arriving one to three minutes
   * late at random while Lumen reads with its one-minute delay: its windows then miss minutes, the
   * canary's and stable's not always the same ones.
   */
  private static void lateArrivals(int runs) {
    System.out.printf(
        Locale.ROOT,
        "%d seeded runs per case; each series' minute arrives 1 to 3 minutes late (uniform, per"
            + " series and minute); Lumen reads with a %d-minute delay (-Dlumen.delayMinutes)%n%n",
        runs,
        DATA_DELAY.toMinutes());
    System.out.println(
        "| Case | Arrival | Promoted | Rolled back | Held at 2 h | False rollback | Promoted after,"
            + " median | p95 |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Case c : CASES) {
      if (c.regression()) {
        continue;
      }
      ScenarioFile.Loaded loaded = ScenarioFile.parse(c.name(), c.scenario());
      for (boolean late : List.of(false, true)) {
        var outcomes = simulate(runs, seed -> backtest(loaded, seed, late).minutes("checkout"));
        Summary summary = Summary.of(c, "Lumen", outcomes);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %d | %d | %s | %s | %s |%n",
            c.name(),
            late ? "1-3 min, jittered" : "1 min",
            summary.promoted(),
            summary.rolledBack(),
            summary.held(),
            percent(summary.rolledBack() / (double) runs),
            Summary.quantile(summary.promotionMinutes(), 0.5).orElse(""),
            Summary.quantile(summary.promotionMinutes(), 0.95).orElse(""));
      }
    }
  }

  private static Case named(String name) {
    return CASES.stream()
        .filter(k -> k.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no case " + name));
  }

  /** Lumen in the backtest, on the case's world with this seed. */
  private static Recording backtest(ScenarioFile.Loaded loaded, long seed) {
    return backtest(loaded, seed, false);
  }

  /**
   * @param lateArrivals whether each series' minute arrives one to three minutes late, at random,
   *     as Cloud Monitoring's do, instead of all at once a minute late
   */
  private static Recording backtest(ScenarioFile.Loaded loaded, long seed, boolean lateArrivals) {
    var backtest =
        new Backtest(
            new ScenarioFile.Loaded(
                loaded.scenario().withSeed(seed),
                loaded.policies(),
                loaded.sloTargets(),
                loaded.secrets()),
            DATA_DELAY);
    if (lateArrivals) {
      backtest.arrivingLate(point -> CloudMonitoringArrival.delay(seed, point));
    }
    return backtest.run();
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
