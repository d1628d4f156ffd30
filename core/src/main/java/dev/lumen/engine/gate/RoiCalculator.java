package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.CacheCounts;
import java.time.Duration;
import java.util.Optional;

/**
 * ROI of the cache in percent: (value of what it saves - what it costs) / what it costs x 100. A
 * cache costing 9.36 a month that saves 200 a month has an ROI of 2036.75 %.
 */
public final class RoiCalculator {
  public static final String GATE = "roi";
  static final Duration MONTH = Duration.ofDays(30);

  private RoiCalculator() {}

  /** The ROI in percent, or empty when the savings cannot be known. */
  public static Optional<Double> roiPercent(
      RoiGate gate, Optional<CacheCounts> cacheOverWindow, Duration window) {
    double cost = Decimals.parse(gate.cacheMonthlyCost());
    if (cost <= 0) {
      return Optional.empty();
    }
    Optional<Double> savings = monthlySavings(gate, cacheOverWindow, window);
    return savings.map(s -> (s - cost) / cost * 100);
  }

  /** A fixed estimate, or measured hits scaled to a 30-day month times the value of a hit. */
  static Optional<Double> monthlySavings(
      RoiGate gate, Optional<CacheCounts> cacheOverWindow, Duration window) {
    if (gate.monthlySavings() != null) {
      return Optional.of(Decimals.parse(gate.monthlySavings()));
    }
    if (gate.valuePerThousandHits() == null || window.isZero()) {
      return Optional.empty();
    }
    double valuePerHit = Decimals.parse(gate.valuePerThousandHits()) / 1000;
    return cacheOverWindow.map(
        c -> c.hits() * ((double) MONTH.toSeconds() / window.toSeconds()) * valuePerHit);
  }

  /** Pass at or above {@code pass}, warn at or above {@code warn}, fail below. */
  public static GateResult gate(
      RoiGate gate, Optional<CacheCounts> cacheOverWindow, Duration window) {
    Optional<Double> roi = roiPercent(gate, cacheOverWindow, window);
    if (roi.isEmpty()) {
      return GateResult.unknown(
          GATE,
          gate.monthlySavings() == null && gate.valuePerThousandHits() == null
              ? "no savings figure: set monthlySavings or valuePerThousandHits"
              : "no cache hit counts measured yet");
    }
    double value = roi.get();
    double pass = Decimals.parse(gate.pass());
    double warn = Decimals.parse(gate.warn());
    String roiText = Decimals.format(value, 2) + " %";
    if (value >= pass) {
      return new GateResult(
          GATE, Result.Pass, roi, "ROI " + roiText + " is at or above " + gate.pass() + " %");
    }
    if (value >= warn) {
      return new GateResult(
          GATE,
          Result.Warn,
          roi,
          "ROI "
              + roiText
              + " is below "
              + gate.pass()
              + " % but at or above "
              + gate.warn()
              + " %");
    }
    return new GateResult(
        GATE,
        Result.Fail,
        roi,
        "ROI "
            + roiText
            + " is below "
            + gate.warn()
            + " %: the cache costs more than it is worth; rollback recommended");
  }
}
