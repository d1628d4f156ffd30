package dev.lumen.engine.canary;

import dev.lumen.engine.measure.LatencyDistribution;

/**
 * Latency as a scale family around stable: "the canary's requests take {@code s} times as long as
 * stable's", with stable's distribution read from its histogram (interpolated in log-latency inside
 * each bucket, as Cloud Run's exponential buckets suggest) and the canary's bucket counts weighed
 * against it. No percentile is estimated: the whole histogram is the evidence, so a canary exactly
 * at the tolerance does not read as beyond it because its p95 fell in a wide bucket.
 */
final class LatencyShift {
  /**
   * One request moves the evidence by at most this factor: stable's histogram is itself a sample,
   * and a canary request in a bucket stable happened never to reach must not roll back by itself.
   * Capping a likelihood ratio keeps its expectation below 1, so the tests stay valid.
   */
  private static final double MAX_FACTOR = 4;

  private final double[] bounds;
  private final double[] logBounds;
  private final double[] cdf;
  private final double smoothing;

  /**
   * @param stable stable's histogram, with the canary's buckets
   */
  LatencyShift(LatencyDistribution stable) {
    this.bounds = stable.upperBoundsMillis();
    logBounds = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      logBounds[i] = Math.log(bounds[i]);
    }
    long[] counts = stable.counts();
    long total = stable.total();
    cdf = new double[bounds.length];
    long below = 0;
    for (int i = 0; i < bounds.length; i++) {
      below += counts[i];
      cdf[i] = (double) below / total;
    }
    // A little of every bucket, less the more stable served: a bucket stable never reached is
    // unlikely, not impossible.
    smoothing = 1.0 / (total + 1);
  }

  /**
   * The log likelihood ratio of "the canary is {@code scale1} times as slow as stable" against
   * {@code scale0} times, on the canary's bucket counts.
   */
  double logLikelihoodRatio(long[] canaryCounts, double scale1, double scale0) {
    return logLikelihoodRatio(canaryCounts, probabilities(scale1), probabilities(scale0));
  }

  /** The same with the buckets' chances worked out already. */
  static double logLikelihoodRatio(long[] canaryCounts, double[] p1, double[] p0) {
    double cap = Math.log(MAX_FACTOR);
    double sum = 0;
    for (int i = 0; i < canaryCounts.length; i++) {
      if (canaryCounts[i] > 0) {
        sum += canaryCounts[i] * Math.min(cap, Math.log(p1[i] / p0[i]));
      }
    }
    return sum;
  }

  /** The chance of each bucket, overflow last, for requests {@code scale} times as slow. */
  double[] probabilities(double scale) {
    double[] p = new double[bounds.length + 1];
    double previous = 0;
    double uniform = smoothing / p.length;
    // The points bounds[i] / scale rise with i, so the bucket that holds each is found by walking
    // on from the last one: one pass over the bounds, not one search per bucket (every decision
    // with an analysis due computes a dozen of these).
    int at = 0;
    double logScale = Math.log(scale);
    for (int i = 0; i < bounds.length; i++) {
      double millis = bounds[i] / scale;
      while (at < bounds.length && bounds[at] < millis) {
        at++;
      }
      double next = cdfIn(at, millis, logBounds[i] - logScale);
      p[i] = (1 - smoothing) * (next - previous) + uniform;
      previous = next;
    }
    p[bounds.length] = (1 - smoothing) * (1 - previous) + uniform;
    return p;
  }

  /**
   * Stable's distribution function at {@code millis}, which lies in bucket {@code i}: linear in the
   * first bucket, linear in log-latency in the others, and beyond the last bound spread over one
   * more bucket's growth.
   */
  private double cdfIn(int i, double millis, double logMillis) {
    if (millis <= 0) {
      return 0;
    }
    if (i == 0) {
      return cdf[0] * millis / bounds[0];
    }
    int last = bounds.length - 1;
    if (i > last) {
      double growth = last == 0 ? 2 : bounds[last] / bounds[last - 1];
      double fraction = Math.min(1, (logMillis - logBounds[last]) / Math.log(growth));
      return cdf[last] + (1 - cdf[last]) * fraction;
    }
    double fraction = (logMillis - logBounds[i - 1]) / (logBounds[i] - logBounds[i - 1]);
    return cdf[i - 1] + (cdf[i] - cdf[i - 1]) * fraction;
  }
}
