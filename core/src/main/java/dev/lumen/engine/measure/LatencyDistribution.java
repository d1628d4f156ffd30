package dev.lumen.engine.measure;

import java.util.Arrays;
import java.util.List;

/**
 * A latency histogram as Cloud Monitoring reports distributions: bucket {@code i} counts the
 * requests with a latency in {@code (bound[i-1], bound[i]]} (the first from 0), and one last
 * overflow bucket counts those above the last bound.
 *
 * <p>Percentiles are interpolated linearly inside the bucket that holds the rank, so the error is
 * at most that bucket's width: with Cloud Run's exponential buckets (each about 1.4 times the
 * previous) a reported p95 is within 40 % of the truth, and exact at bucket bounds. A percentile
 * that falls in the overflow bucket is reported as the last bound, a lower bound of the truth.
 */
public final class LatencyDistribution {
  private final double[] upperBoundsMillis;
  private final long[] counts;
  private final long total;

  /**
   * @param upperBoundsMillis ascending upper bounds of the finite buckets
   * @param counts one count per finite bucket plus the overflow bucket
   */
  public LatencyDistribution(double[] upperBoundsMillis, long[] counts) {
    if (counts.length != upperBoundsMillis.length + 1) {
      throw new IllegalArgumentException(
          "need one count per bucket plus overflow: "
              + upperBoundsMillis.length
              + " bounds, "
              + counts.length
              + " counts");
    }
    for (int i = 1; i < upperBoundsMillis.length; i++) {
      if (upperBoundsMillis[i] <= upperBoundsMillis[i - 1]) {
        throw new IllegalArgumentException("bucket bounds must increase");
      }
    }
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative bucket count");
      }
      sum += c;
    }
    this.upperBoundsMillis = upperBoundsMillis.clone();
    this.counts = counts.clone();
    this.total = sum;
  }

  /** Exponential buckets as Cloud Monitoring defines them: bound i = scale × growth^i. */
  public static double[] exponentialBounds(int finiteBuckets, double growthFactor, double scale) {
    double[] bounds = new double[finiteBuckets];
    for (int i = 0; i < finiteBuckets; i++) {
      bounds[i] = scale * Math.pow(growthFactor, i + 1);
    }
    return bounds;
  }

  public long total() {
    return total;
  }

  public double[] upperBoundsMillis() {
    return upperBoundsMillis.clone();
  }

  public long[] counts() {
    return counts.clone();
  }

  /** Whether another distribution has the same buckets, so that the two can be compared. */
  public boolean sameBuckets(LatencyDistribution other) {
    return Arrays.equals(upperBoundsMillis, other.upperBoundsMillis);
  }

  /**
   * The distributions with the buckets of the first added up in one pass (an hour of minutes would
   * otherwise copy the counts sixty times); one with other buckets is left out, as {@link #plus}
   * would refuse it.
   */
  public static LatencyDistribution sum(List<LatencyDistribution> parts) {
    LatencyDistribution first = parts.get(0);
    long[] sum = first.counts.clone();
    for (LatencyDistribution part : parts.subList(1, parts.size())) {
      if (first.sameBuckets(part)) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += part.counts[i];
        }
      }
    }
    return new LatencyDistribution(first.upperBoundsMillis, sum);
  }

  public LatencyDistribution plus(LatencyDistribution other) {
    if (!sameBuckets(other)) {
      throw new IllegalArgumentException("cannot add distributions with different buckets");
    }
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new LatencyDistribution(upperBoundsMillis, sum);
  }

  /**
   * Requests certainly slower than {@code millis}: those in the buckets whose lower bound is at or
   * above it. A bucket that straddles it is not counted, so this never overstates.
   */
  public long countAbove(double millis) {
    long above = 0;
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? 0 : upperBoundsMillis[i - 1];
      if (lower >= millis) {
        above += counts[i];
      }
    }
    return above;
  }

  /**
   * The {@code percentile} (0 to 100) in milliseconds.
   *
   * @throws IllegalStateException when the distribution is empty
   */
  public double percentile(double percentile) {
    return valueAtRank(percentile / 100.0 * total);
  }

  /** The latency at a (fractional) rank between 0 and {@link #total()}. */
  public double valueAtRank(double rank) {
    if (total == 0) {
      throw new IllegalStateException("no requests in the distribution");
    }
    double target = Math.max(0, Math.min(rank, total));
    long before = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && before + counts[i] >= target) {
        double lower = i == 0 ? 0 : upperBoundsMillis[i - 1];
        if (i == upperBoundsMillis.length) {
          return lower;
        }
        double upper = upperBoundsMillis[i];
        return lower + (upper - lower) * (target - before) / counts[i];
      }
      before += counts[i];
    }
    return upperBoundsMillis.length == 0 ? 0 : upperBoundsMillis[upperBoundsMillis.length - 1];
  }

  /**
   * The mean in milliseconds, taking each bucket at its midpoint and the overflow bucket at its
   * lower bound (so an overflowing distribution's mean is a lower bound).
   *
   * @throws IllegalStateException when the distribution is empty
   */
  public double mean() {
    if (total == 0) {
      throw new IllegalStateException("no requests in the distribution");
    }
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? 0 : upperBoundsMillis[i - 1];
      double value = i == upperBoundsMillis.length ? lower : (lower + upperBoundsMillis[i]) / 2;
      sum += counts[i] * value;
    }
    return sum / total;
  }

  /** Requests with a latency at or below {@code thresholdMillis}, interpolated inside a bucket. */
  public double countAtOrBelow(double thresholdMillis) {
    double count = 0;
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? 0 : upperBoundsMillis[i - 1];
      if (i == upperBoundsMillis.length) {
        return count;
      }
      double upper = upperBoundsMillis[i];
      if (upper <= thresholdMillis) {
        count += counts[i];
      } else {
        if (thresholdMillis > lower) {
          count += counts[i] * (thresholdMillis - lower) / (upper - lower);
        }
        return count;
      }
    }
    return count;
  }

  /**
   * The finite bucket that holds {@code thresholdMillis} inside it, as {lower, upper} bounds in
   * milliseconds (lower 0 for the first bucket); empty when the threshold is one of the bounds, so
   * counting at or below it needs no interpolation, or lies in the overflow bucket, which has no
   * upper bound to interpolate towards.
   */
  public java.util.Optional<double[]> bucketAround(double thresholdMillis) {
    double lower = 0;
    for (double upper : upperBoundsMillis) {
      if (isBound(thresholdMillis, upper)) {
        return java.util.Optional.empty();
      }
      if (thresholdMillis < upper) {
        return java.util.Optional.of(new double[] {lower, upper});
      }
      lower = upper;
    }
    return java.util.Optional.empty();
  }

  /** Bounds come as doubles through two APIs: a millionth of a percent apart is the same bound. */
  private static boolean isBound(double threshold, double bound) {
    return Math.abs(threshold - bound) <= Math.abs(bound) * 1e-8;
  }
}
