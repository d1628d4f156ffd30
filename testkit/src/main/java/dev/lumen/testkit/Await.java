package dev.lumen.testkit;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with the last observed value when it never does. */
public final class Await {
  private Await() {}

  public static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
    return until(probe, done, Duration.ofSeconds(15), what);
  }

  /** The first value {@code probe} gives that is not null, within {@code timeout}. */
  public static <T> T until(Supplier<T> probe, Duration timeout, String what) {
    return until(probe, java.util.Objects::nonNull, timeout, what);
  }

  public static <T> T until(
      Supplier<T> probe, java.util.function.Predicate<T> done, Duration timeout, String what) {
    Instant deadline = Instant.now().plus(timeout);
    T last = probe.get();
    while (!done.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "timed out waiting for " + what + "; last seen: " + describe(last));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      last = probe.get();
    }
    return last;
  }

  /** Status objects print as YAML, so a timeout shows what the operator did write. */
  private static String describe(Object value) {
    if (value == null || value instanceof CharSequence || value instanceof Number) {
      return String.valueOf(value);
    }
    try {
      return "\n" + Serialization.asYaml(value);
    } catch (RuntimeException e) {
      return String.valueOf(value);
    }
  }
}
