package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.api.v1alpha1.MaturityGate;
import dev.lumen.engine.Decimals;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A service's maturity, 0 to 100: the mean of six measures, each scored 0 to 100 by linear
 * interpolation between anchor points (see docs/decisions.md), then mapped to levels 1 to 5.
 * Measures without data are left out; fewer than three measures give no score.
 */
public record MaturityScore(double score, int level, String levelName, List<Measure> measures) {
  /**
   * One measure with data, its value and what it scores.
   *
   * @param name e.g. deploysPerWeek, as in {@link Inputs}
   */
  public record Measure(String name, double value, double score) {}

  public static final String GATE = "maturity";
  static final int MIN_MEASURES = 3;

  /** The six measures; any may be unknown. */
  public record Inputs(
      Optional<Double> deploysPerWeek,
      Optional<Double> meanLatencyMillis,
      Optional<Double> errorRatePercent,
      Optional<Double> availabilityPercent,
      Optional<Double> cacheHitRatePercent,
      Optional<Double> costPerThousandRequests) {}

  // Anchor points (measured value, score), in increasing order of value.
  static final double[][] DEPLOYS_PER_WEEK = {{0, 0}, {1, 50}, {7, 100}};
  static final double[][] MEAN_LATENCY_MS = {
    {100, 100}, {200, 75}, {500, 50}, {1000, 25}, {2000, 0}
  };
  static final double[][] ERROR_RATE_PERCENT = {{0, 100}, {0.1, 90}, {1, 50}, {5, 0}};
  static final double[][] AVAILABILITY_PERCENT = {{95, 0}, {99, 50}, {99.5, 80}, {99.9, 100}};
  static final double[][] CACHE_HIT_PERCENT = {{0, 0}, {50, 20}, {70, 60}, {80, 80}, {90, 100}};
  static final double[][] COST_PER_1000_REQUESTS = {{0.01, 100}, {0.1, 50}, {1, 0}};

  static final String[] LEVEL_NAMES = {
    "Initial", "Managed", "Defined", "Quantitatively Managed", "Optimizing"
  };

  public static Optional<MaturityScore> of(Inputs inputs) {
    List<Measure> measures = measures(inputs);
    if (measures.size() < MIN_MEASURES) {
      return Optional.empty();
    }
    double score = measures.stream().mapToDouble(Measure::score).average().orElseThrow();
    int level = levelOf(score);
    return Optional.of(new MaturityScore(score, level, LEVEL_NAMES[level - 1], measures));
  }

  /** The measures that have data, each scored. */
  public static List<Measure> measures(Inputs inputs) {
    List<Measure> measures = new ArrayList<>();
    add(measures, "deploysPerWeek", inputs.deploysPerWeek(), DEPLOYS_PER_WEEK);
    add(measures, "meanLatencyMillis", inputs.meanLatencyMillis(), MEAN_LATENCY_MS);
    add(measures, "errorRatePercent", inputs.errorRatePercent(), ERROR_RATE_PERCENT);
    add(measures, "availabilityPercent", inputs.availabilityPercent(), AVAILABILITY_PERCENT);
    add(measures, "cacheHitRatePercent", inputs.cacheHitRatePercent(), CACHE_HIT_PERCENT);
    add(
        measures,
        "costPerThousandRequests",
        inputs.costPerThousandRequests(),
        COST_PER_1000_REQUESTS);
    return measures;
  }

  private static void add(
      List<Measure> measures, String name, Optional<Double> value, double[][] anchors) {
    value.ifPresent(v -> measures.add(new Measure(name, v, interpolate(anchors, v))));
  }

  /** Levels are bands of 20 points: below 20 is level 1, 80 and above level 5. */
  static int levelOf(double score) {
    return Math.max(1, Math.min(5, 1 + (int) Math.floor(score / 20)));
  }

  /** Passes when the score reaches the gate's minimum. */
  public static GateResult gate(MaturityGate gate, Optional<MaturityScore> maturity) {
    if (maturity.isEmpty()) {
      return GateResult.unknown(
          GATE, "fewer than " + MIN_MEASURES + " of the six maturity measures have data");
    }
    MaturityScore m = maturity.get();
    double min = Decimals.parse(gate.minScore());
    String text =
        "maturity "
            + Decimals.format(m.score(), 1)
            + " (level "
            + m.level()
            + ", "
            + m.levelName()
            + ")";
    return m.score() >= min
        ? new GateResult(
            GATE, Result.Pass, Optional.of(m.score()), text + " reaches " + gate.minScore())
        : new GateResult(
            GATE, Result.Fail, Optional.of(m.score()), text + " is below " + gate.minScore());
  }

  /** Piecewise-linear score of {@code value}; beyond the first or last anchor it stays flat. */
  static double interpolate(double[][] anchors, double value) {
    if (value <= anchors[0][0]) {
      return anchors[0][1];
    }
    for (int i = 1; i < anchors.length; i++) {
      if (value <= anchors[i][0]) {
        double[] a = anchors[i - 1];
        double[] b = anchors[i];
        return a[1] + (b[1] - a[1]) * (value - a[0]) / (b[0] - a[0]);
      }
    }
    return anchors[anchors.length - 1][1];
  }
}
