package dev.lumen.sim.scenario;

import dev.lumen.clock.FastClock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows the demo's clock when the machine cannot keep up. {@link Lockstep} already makes the clock
 * wait for each evaluation that is due, so nothing Lumen decides comes late in scenario time; but a
 * clock that keeps stopping runs in jerks. When it has stood still for more than {@link
 * #TOLERATED_SHARE} of the real time over a {@link #WINDOW}, this halves its speed (down to {@link
 * #SLOWEST}) and says so.
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

  /** The demo never runs slower than this. */
  static final double SLOWEST = 10;

  /** A change of speed, and why. */
  public record Slowdown(double from, double to, Duration waited, Duration over) {
    /** One line for people: what was seen, and what the demo does about it. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "this machine cannot keep up at %.0fx: the clock waited %.1f s of the last %.1f s for"
              + " Lumen's evaluations; running at %.0fx from here",
          from,
          waited.toMillis() / 1000.0,
          over.toMillis() / 1000.0,
          to);
    }
  }

  private final FastClock clock;
  private final Duration windowLength;
  private long windowStartNanos = -1;
  private Duration heldAtWindowStart = Duration.ZERO;

  PaceKeeper(FastClock clock) {
    this(clock, WINDOW);
  }

  PaceKeeper(FastClock clock, Duration window) {
    this.clock = clock;
    this.windowLength = window;
  }

  /** Looks at the clock's waits since the window began; a slowdown when they were too long. */
  Optional<Slowdown> check() {
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
    double speed = clock.speed();
    if (waited.toNanos() <= TOLERATED_SHARE * window.toNanos() || speed <= SLOWEST) {
      return Optional.empty();
    }
    double slower = Math.max(SLOWEST, speed / 2);
    clock.changeSpeed(slower);
    return Optional.of(new Slowdown(speed, slower, waited, window));
  }
}
