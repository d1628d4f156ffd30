package dev.lumen.sim.scenario;

import dev.lumen.clock.FastClock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps the demo's clock at a speed the machine can follow. {@link Lockstep} already makes the
 * clock wait for each evaluation that is due, so nothing Lumen decides comes late in scenario time;
 * but a clock that keeps stopping runs in jerks. When it has stood still for more than {@link
 * #TOLERATED_SHARE} of the real time over a {@link #WINDOW}, this halves its speed (down to {@link
 * #SLOWEST}) and says so. When it has waited less than {@link #CALM_SHARE} in each of {@link
 * #CALM_WINDOWS} windows in a row, this doubles it again (up to the speed asked for) and says so: a
 * JVM that starts beside busy processes falls behind in its first seconds and keeps up once warm,
 * and a day-long scenario should not run at half speed for that.
 */
public final class PaceKeeper {
  /** Real time over which the clock's waits are weighed. */
  static final Duration WINDOW = Duration.ofSeconds(3);

  /**
   * Share of real time the clock may stand still waiting for Lumen before it slows down. Below
   * half, halving the speed would make the scenario take longer: a clock at speed s that stands
   * still a share h of the time covers s(1 - h), more than s/2.
   */
  static final double TOLERATED_SHARE = 0.5;

  /**
   * Share of real time below which the clock may go faster. At twice the speed the same evaluations
   * come twice as often in real time, so the share of time waited about doubles: from below this it
   * stays under {@link #TOLERATED_SHARE} with room to spare.
   */
  static final double CALM_SHARE = 0.2;

  /**
   * Calm windows in a row before the speed doubles. Each time a faster speed has to be given up
   * again, twice as many are needed for the next try, so a machine at the edge changes speed a few
   * times in a run, not every few seconds.
   */
  static final int CALM_WINDOWS = 5;

  /** The demo never runs slower than this. */
  static final double SLOWEST = 10;

  /** A change of speed, and why. */
  public record SpeedChange(double from, double to, Duration waited, Duration over) {
    /** One line for people: what was seen, and what the demo does about it. */
    public String describe() {
      return to < from
          ? String.format(
              Locale.ROOT,
              "this machine cannot keep up at %.0fx: the clock waited %.1f s of the last %.1f s"
                  + " for Lumen's evaluations; running at %.0fx from here",
              from,
              seconds(waited),
              seconds(over),
              to)
          : String.format(
              Locale.ROOT,
              "this machine keeps up again: the clock waited %.1f s of the last %.1f s for"
                  + " Lumen's evaluations; running at %.0fx from here",
              seconds(waited),
              seconds(over),
              to);
    }

    private static double seconds(Duration duration) {
      return duration.toMillis() / 1000.0;
    }
  }

  private final FastClock clock;
  private final Duration windowLength;
  private final double askedSpeed;
  private long windowStartNanos = -1;
  private Duration heldAtWindowStart = Duration.ZERO;
  private int calmInARow;
  private int calmNeeded = CALM_WINDOWS;
  private boolean fasterOnTrial;

  PaceKeeper(FastClock clock) {
    this(clock, WINDOW);
  }

  PaceKeeper(FastClock clock, Duration window) {
    this.clock = clock;
    this.windowLength = window;
    this.askedSpeed = clock.speed();
  }

  /** Looks at the clock's waits since the window began; a change of speed when one is due. */
  Optional<SpeedChange> check() {
    long now = System.nanoTime();
    Duration held = clock.held();
    if (windowStartNanos < 0) {
      windowStartNanos = now;
      heldAtWindowStart = held;
      return Optional.empty();
    }
    Duration window = Duration.ofNanos(now - windowStartNanos);
    if (window.compareTo(windowLength) < 0) {
      return Optional.empty();
    }
    Duration waited = held.minus(heldAtWindowStart);
    windowStartNanos = now;
    heldAtWindowStart = held;
    double share = (double) waited.toNanos() / window.toNanos();
    double speed = clock.speed();
    if (share > TOLERATED_SHARE) {
      calmInARow = 0;
      if (speed <= SLOWEST) {
        return Optional.empty();
      }
      if (fasterOnTrial) {
        calmNeeded *= 2;
        fasterOnTrial = false;
      }
      return Optional.of(changeTo(speed, Math.max(SLOWEST, speed / 2), waited, window));
    }
    calmInARow = share < CALM_SHARE ? calmInARow + 1 : 0;
    if (speed >= askedSpeed || calmInARow < calmNeeded) {
      return Optional.empty();
    }
    calmInARow = 0;
    fasterOnTrial = true;
    return Optional.of(changeTo(speed, Math.min(askedSpeed, speed * 2), waited, window));
  }

  private SpeedChange changeTo(double from, double to, Duration waited, Duration window) {
    clock.changeSpeed(to);
    return new SpeedChange(from, to, waited, window);
  }
}
