package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.HealthStatus.Grade;
import java.util.Optional;

/**
 * Overall health, 0 to 100: 30 % maturity, 30 % ROI, 40 % SLO compliance. ROI counts as ROI / 500 %
 * x 100, capped to 0..100 (an ROI at the pass mark scores full). A missing component is left out
 * and the weights of the others are scaled up to 100 %.
 */
public record Health(double score, Grade grade) {
  static final double MATURITY_WEIGHT = 0.3;
  static final double ROI_WEIGHT = 0.3;
  static final double SLO_WEIGHT = 0.4;
  static final double ROI_FULL_SCORE_PERCENT = 500;

  public static Optional<Health> of(
      Optional<Double> maturityScore,
      Optional<Double> roiPercent,
      Optional<Double> compliancePercent) {
    double weighted = 0;
    double weights = 0;
    if (maturityScore.isPresent()) {
      weighted += MATURITY_WEIGHT * maturityScore.get();
      weights += MATURITY_WEIGHT;
    }
    if (roiPercent.isPresent()) {
      weighted +=
          ROI_WEIGHT * Math.max(0, Math.min(100, roiPercent.get() / ROI_FULL_SCORE_PERCENT * 100));
      weights += ROI_WEIGHT;
    }
    if (compliancePercent.isPresent()) {
      weighted += SLO_WEIGHT * compliancePercent.get();
      weights += SLO_WEIGHT;
    }
    if (weights == 0) {
      return Optional.empty();
    }
    double score = weighted / weights;
    return Optional.of(new Health(score, grade(score)));
  }

  static Grade grade(double score) {
    if (score >= 90) {
      return Grade.Excellent;
    }
    if (score >= 70) {
      return Grade.Good;
    }
    if (score >= 50) {
      return Grade.Fair;
    }
    return Grade.Poor;
  }
}
