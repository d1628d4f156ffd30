package dev.lumen.sim.scenario;

import dev.lumen.clock.FastClock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps a live scenario honest on a busy machine. It reads how late the operator's scheduled
 * evaluations begin, in scenario time ({@code lumen_evaluation_lateness_seconds}), and when they
 * begin more than {@link #TOLERATED} late on average the machine cannot keep up with the clock:
 * everything Lumen decides would come later in scenario time than it does in production, so it
 * halves the clock's speed (down to {@link #SLOWEST}) and says so.
 */
public final class PaceKeeper {
  /** Mean lateness in scenario time beyond which the clock slows down. */
  static final Duration TOLERATED = Duration.ofSeconds(3);

  /** The demo never runs slower than this. */
  static final double SLOWEST = 10;

  /** Evaluations needed before the mean says anything. */
  private static final int SAMPLES = 4;

  /** A change of speed, and why. */
  public record Slowdown(double from, double to, Duration meanLateness) {
    /** One line for people: what was seen, and what the demo does about it. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "this machine cannot keep up at %.0fx: Lumen's evaluations began %.1f s late on average in"
              + " scenario time, so its decisions would come later than in production; running at %.0fx"
              + " from here",
          from,
          meanLateness.toMillis() / 1000.0,
          to);
    }
  }

  private final FastClock clock;
  private final MeterRegistry registry;
  private long count;
  private double total;

  PaceKeeper(FastClock clock, MeterRegistry registry) {
    this.clock = clock;
    this.registry = registry;
  }

  /** Looks at the evaluations since the last look; a slowdown when they came too late. */
  Optional<Slowdown> check() {
    long newCount = 0;
    double newTotal = 0;
    for (DistributionSummary summary : registry.find("lumen.evaluation.lateness").summaries()) {
      newCount += summary.count();
      newTotal += summary.totalAmount();
    }
    long evaluations = newCount - count;
    if (evaluations < SAMPLES) {
      return Optional.empty();
    }
    double mean = (newTotal - total) / evaluations;
    count = newCount;
    total = newTotal;
    double speed = clock.speed();
    if (mean <= TOLERATED.toMillis() / 1000.0 || speed <= SLOWEST) {
      return Optional.empty();
    }
    double slower = Math.max(SLOWEST, speed / 2);
    clock.changeSpeed(slower);
    return Optional.of(new Slowdown(speed, slower, Duration.ofMillis(Math.round(mean * 1000))));
  }
}
