package dev.lumen.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code speed} times faster than real time from {@code origin}, so that a
 * simulated hour passes in a minute; the operator's reschedules shrink by the same factor.
 */
public final class FastClock extends Clock {
  private final Instant origin;
  private final double speed;
  private final long startNanos = System.nanoTime();

  public FastClock(Instant origin, double speed) {
    this.origin = origin;
    this.speed = speed;
  }

  @Override
  public Instant instant() {
    long elapsed = System.nanoTime() - startNanos;
    return origin.plusNanos(Math.round(elapsed * speed));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulated clock is UTC");
  }
}
