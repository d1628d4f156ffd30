package dev.lumen.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code speed} times faster than real time from {@code origin}, so that a
 * simulated hour passes in a minute; the operator's reschedules shrink by the same factor.
 */
public final class FastClock extends Clock {
  /**
   * What the clock showed when its speed or limit was last set, since when it runs at that speed,
   * and the instant it stops at until its limit moves (null: none).
   */
  private record Run(Instant from, long sinceNanos, double speed, Instant limit) {
    Run(Instant from, long sinceNanos, double speed) {
      this(from, sinceNanos, speed, null);
    }

    Instant unlimited(long nowNanos) {
      return from.plusNanos(Math.round((nowNanos - sinceNanos) * speed));
    }
  }

  private final Instant origin;
  private volatile Run run;
  private volatile boolean running;
  private long heldNanos;

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

  public synchronized void start() {
    run = new Run(origin, System.nanoTime(), run.speed(), run.limit());
    running = true;
  }

  /**
   * Stops the clock at {@code limit} (never before what it shows now) until the limit moves, then
   * runs on from there without a jump, as the demo's clock does while Lumen has not yet begun an
   * evaluation that is due; null lets it run free.
   */
  public synchronized void limitTo(Instant limit) {
    long nowNanos = System.nanoTime();
    Instant shown = settle(nowNanos);
    Instant kept = limit == null || !limit.isBefore(shown) ? limit : shown;
    run = new Run(shown, running ? nowNanos : run.sinceNanos(), run.speed(), kept);
  }

  /** What the clock shows at {@code nowNanos}, with the time it stood at its limit counted. */
  private Instant settle(long nowNanos) {
    if (!running) {
      return origin;
    }
    Run now = run;
    Instant shown = shown(now, nowNanos);
    Instant unlimited = now.unlimited(nowNanos);
    if (unlimited.isAfter(shown)) {
      heldNanos += Math.round(Duration.between(shown, unlimited).toNanos() / now.speed());
    }
    return shown;
  }

  /** Real time the clock has stood at its limits so far. */
  public synchronized Duration held() {
    long nowNanos = System.nanoTime();
    Run now = run;
    long standing = 0;
    if (running && now.limit() != null) {
      Instant unlimited = now.unlimited(nowNanos);
      if (unlimited.isAfter(now.limit())) {
        standing = Math.round(Duration.between(now.limit(), unlimited).toNanos() / now.speed());
      }
    }
    return Duration.ofNanos(heldNanos + standing);
  }

  /**
   * Runs on from the time it shows now at another speed, as the demo does when the machine cannot
   * keep up; time never jumps.
   */
  public synchronized void changeSpeed(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive: " + speed);
    }
    long nowNanos = System.nanoTime();
    Instant shown = settle(nowNanos);
    run = new Run(shown, nowNanos, speed, run.limit());
  }

  @Override
  public Instant instant() {
    if (!running) {
      return origin;
    }
    return shown(run, System.nanoTime());
  }

  private static Instant shown(Run run, long nowNanos) {
    Instant unlimited = run.unlimited(nowNanos);
    return run.limit() != null && unlimited.isAfter(run.limit()) ? run.limit() : unlimited;
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
