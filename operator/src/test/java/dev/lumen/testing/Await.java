package dev.lumen.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with the last observed value when it never does. */
public final class Await {
  private Await() {}

  public static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    T last = probe.get();
    while (!done.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
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
}
