package dev.lumen.engine.canary;

/** Weighted means of likelihood ratios held as logarithms, without overflow. */
final class Mixtures {
  private Mixtures() {}

  /** The log of {@code sum(weights[i] exp(logs[i])) / sum(weights[i])} over the first n. */
  static double logWeightedMean(double[] logs, double[] weights, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logs[i]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      sum += weights[i] * Math.exp(logs[i] - max);
      total += weights[i];
    }
    return max + Math.log(sum / total);
  }

  /** Weights 1/2, 1/4, ... for n alternatives: cheap for the first, which matter most. */
  static double[] halving(int n) {
    double[] weights = new double[n];
    double weight = 1;
    for (int i = 0; i < n; i++) {
      weight /= 2;
      weights[i] = weight;
    }
    return weights;
  }
}
