package dev.lumen.clock;

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
  private volatile long startNanos;
  private volatile boolean running;

  /** How many times faster than real time it runs. */
  public double speed() {
    return speed;
  }

  /** A clock that runs from now. */
  public FastClock(Instant origin, double speed) {
    this(origin, speed, true);
  }

  private FastClock(Instant origin, double speed, boolean running) {
    this.origin = origin;
    this.speed = speed;
    this.startNanos = System.nanoTime();
    this.running = running;
  }

  /**
   * A clock that shows {@code origin} until {@link #start()}, so that the time servers and the
   * operator take to start is not scenario time.
   */
  public static FastClock stopped(Instant origin, double speed) {
    return new FastClock(origin, speed, false);
  }

  /**
   * A clock that showed {@code origin} at the wall-clock instant {@code anchor}: two processes
   * given the same three values show the same time (to the precision of their wall clocks), as the
   * operator process and the simulated world of a test must.
   */
  public static FastClock anchored(Instant origin, Instant anchor, double speed) {
    var clock = new FastClock(origin, speed, true);
    long sinceAnchorNanos = (System.currentTimeMillis() - anchor.toEpochMilli()) * 1_000_000L;
    clock.startNanos = System.nanoTime() - sinceAnchorNanos;
    return clock;
  }

  public void start() {
    startNanos = System.nanoTime();
    running = true;
  }

  @Override
  public Instant instant() {
    if (!running) {
      return origin;
    }
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
