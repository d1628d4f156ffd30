package dev.lumen.reconciler;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long the operator waits in real time for a wait in its clock's time. In production both are
 * the same; the demo and the end-to-end tests run the clock faster, and every reschedule shrinks
 * with it so that policy intervals mean the same thing in both. The demo may slow its clock while
 * it runs, so the speed is read at each wait.
 */
public final class Pacing {
  public static final Pacing REAL_TIME = new Pacing(1);

  private final DoubleSupplier speed;
  private final ScheduleListener listener;

  /**
   * @param speed clock seconds per real second, at least 1
   */
  public Pacing(double speed) {
    this(() -> speed);
    speed();
  }

  /** A pacing that follows a clock whose speed may change; each reading at least 1. */
  public Pacing(DoubleSupplier speed) {
    this(speed, ScheduleListener.NONE);
  }

  /**
   * @param listener told when each evaluation is due, under way and done, as the demo's clock is
   */
  public Pacing(DoubleSupplier speed, ScheduleListener listener) {
    this.speed = speed;
    this.listener = listener;
  }

  /** Who is told when each evaluation is due, under way and done. */
  public ScheduleListener listener() {
    return listener;
  }

  /** Clock seconds per real second now. */
  public double speed() {
    double now = speed.getAsDouble();
    if (!(now >= 1)) {
      throw new IllegalArgumentException("speed must be at least 1: " + now);
    }
    return now;
  }

  /**
   * At least the real time in which the clock covers {@code clockTime}: rounded up, so that what
   * was scheduled for a clock instant never runs before it (an analysis due at a minute would
   * otherwise find itself a few clock milliseconds early, skip, and wait another minute).
   */
  public Duration real(Duration clockTime) {
    long micros = (long) Math.ceil(clockTime.toNanos() / 1000.0 / speed());
    return Duration.ofMillis(Math.max(1, (micros + 999) / 1000));
  }
}
