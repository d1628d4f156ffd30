package dev.lumen.reconciler;

import java.time.Duration;

/**
 * How long the operator waits in real time for a wait in its clock's time. In production both are
 * the same; the demo and the end-to-end tests run the clock faster, and every reschedule shrinks
 * with it so that policy intervals mean the same thing in both.
 *
 * @param speed clock seconds per real second, at least 1
 */
public record Pacing(double speed) {
  public static final Pacing REAL_TIME = new Pacing(1);

  public Pacing {
    if (!(speed >= 1)) {
      throw new IllegalArgumentException("speed must be at least 1: " + speed);
    }
  }

  public Duration real(Duration clockTime) {
    long millis = Math.max(1, Math.round(clockTime.toMillis() / speed));
    return Duration.ofMillis(millis);
  }
}
