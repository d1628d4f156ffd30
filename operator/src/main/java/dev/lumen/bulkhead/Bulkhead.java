package dev.lumen.bulkhead;

import dev.lumen.ports.PortException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Calls to one endpoint: at most {@code permits} at once, a short wait for a permit, and after a
 * call that failed slowly (a timeout) the endpoint is skipped for a while. Every refusal is a
 * transient {@link PortException}: the resource reports the gap and is looked at again later, while
 * the reconcile thread goes on to other resources.
 */
public final class Bulkhead {
  private final String endpoint;
  private final Semaphore permits;
  private final Duration wait;
  private final Duration slowCall;
  private final Duration skipAfterSlowFailure;
  private final Clock clock;
  private volatile Instant skipUntil = Instant.MIN;

  /**
   * @param endpoint how messages name it, e.g. "Prometheus at prometheus.monitoring:9090"
   * @param permits calls that may run at once
   * @param wait how long a call waits for a permit
   * @param slowCall a failed call that took this long counts as the endpoint being slow
   * @param skipAfterSlowFailure how long calls are refused after a slow failure
   */
  public Bulkhead(
      String endpoint,
      int permits,
      Duration wait,
      Duration slowCall,
      Duration skipAfterSlowFailure,
      Clock clock) {
    this.endpoint = endpoint;
    this.permits = new Semaphore(permits);
    this.wait = wait;
    this.slowCall = slowCall;
    this.skipAfterSlowFailure = skipAfterSlowFailure;
    this.clock = clock;
  }

  /** Runs {@code call} within the bulkhead. */
  public <T> T call(Supplier<T> call) {
    Instant now = clock.instant();
    if (now.isBefore(skipUntil)) {
      throw PortException.transientFailure(
          endpoint + " failed slowly; not called again before " + skipUntil, null);
    }
    boolean acquired;
    try {
      acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PortException.transientFailure("interrupted waiting for " + endpoint, e);
    }
    if (!acquired) {
      throw PortException.transientFailure(
          endpoint + " is busy: its calls in flight are at the limit; not waiting longer", null);
    }
    long started = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (Duration.ofNanos(System.nanoTime() - started).compareTo(slowCall) >= 0) {
        skipUntil = clock.instant().plus(skipAfterSlowFailure);
      }
      throw e;
    } finally {
      permits.release();
    }
  }

  /** Runs {@code call} within the bulkhead. */
  public void run(Runnable call) {
    call(
        () -> {
          call.run();
          return null;
        });
  }
}
