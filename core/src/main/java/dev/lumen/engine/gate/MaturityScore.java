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
public record MaturityScore(double score, int level, String levelName, int measures) {
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
    List<Double> scores = new ArrayList<>();
    inputs.deploysPerWeek().ifPresent(v -> scores.add(interpolate(DEPLOYS_PER_WEEK, v)));
    inputs.meanLatencyMillis().ifPresent(v -> scores.add(interpolate(MEAN_LATENCY_MS, v)));
    inputs.errorRatePercent().ifPresent(v -> scores.add(interpolate(ERROR_RATE_PERCENT, v)));
    inputs.availabilityPercent().ifPresent(v -> scores.add(interpolate(AVAILABILITY_PERCENT, v)));
    inputs.cacheHitRatePercent().ifPresent(v -> scores.add(interpolate(CACHE_HIT_PERCENT, v)));
    inputs
        .costPerThousandRequests()
        .ifPresent(v -> scores.add(interpolate(COST_PER_1000_REQUESTS, v)));
    if (scores.size() < MIN_MEASURES) {
      return Optional.empty();
    }
    double score = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    int level = levelOf(score);
    return Optional.of(new MaturityScore(score, level, LEVEL_NAMES[level - 1], scores.size()));
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
