package dev.lumen.observe;

import dev.lumen.ports.MetricSource.RevisionMetrics;
import java.util.Optional;
import java.util.function.BinaryOperator;

/** Adds up revisions into a service: a figure present on either side is present in the sum. */
final class MetricSums {
  private MetricSums() {}

  static RevisionMetrics plus(RevisionMetrics a, RevisionMetrics b) {
    return new RevisionMetrics(
        add(a.requests(), b.requests(), (x, y) -> x.plus(y)),
        add(a.latency(), b.latency(), (x, y) -> x.sameBuckets(y) ? x.plus(y) : x),
        add(a.billableInstanceSeconds(), b.billableInstanceSeconds(), Double::sum),
        add(a.coldStarts(), b.coldStarts(), Long::sum),
        add(a.meanInstances(), b.meanInstances(), Double::sum));
  }

  private static <T> Optional<T> add(Optional<T> a, Optional<T> b, BinaryOperator<T> sum) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : Optional.of(sum.apply(a.get(), b.get()));
  }
}
