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
  /** What the clock showed when its speed was last set, and since when it runs at that speed. */
  private record Run(Instant from, long sinceNanos, double speed) {}

  private final Instant origin;
  private volatile Run run;
  private volatile boolean running;

  /** How many times faster than real time it runs now. */
  public double speed() {
    return run.speed();
  }

  /** A clock that runs from now. */
  public FastClock(Instant origin, double speed) {
    this(origin, speed, true);
  }

  private FastClock(Instant origin, double speed, boolean running) {
    this.origin = origin;
    this.run = new Run(origin, System.nanoTime(), speed);
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
    clock.run = new Run(origin, System.nanoTime() - sinceAnchorNanos, speed);
    return clock;
  }

  public void start() {
    run = new Run(origin, System.nanoTime(), run.speed());
    running = true;
  }

  /**
   * Runs on from the time it shows now at another speed, as the demo does when the machine cannot
   * keep up; time never jumps.
   */
  public synchronized void changeSpeed(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive: " + speed);
    }
    run = new Run(instant(), System.nanoTime(), speed);
  }

  @Override
  public Instant instant() {
    if (!running) {
      return origin;
    }
    Run now = run;
    long elapsed = System.nanoTime() - now.sinceNanos();
    return now.from().plusNanos(Math.round(elapsed * now.speed()));
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
