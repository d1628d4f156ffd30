package dev.lumen.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A metric window [start, end]. Ends are aligned to a grid so that every reconcile of the same
 * cycle asks for exactly the same window and the reads can be shared; the grid grows with the
 * window (a sixtieth of it, between one minute and one hour), so a 28-day window is read hourly and
 * its figure is never more than 1/60 stale.
 */
public record Window(Instant start, Instant end) {
  private static final Duration MIN_GRID = Duration.ofMinutes(1);
  private static final Duration MAX_GRID = Duration.ofHours(1);

  /** The grid for a window of {@code length}. */
  static Duration grid(Duration length) {
    Duration grid = length.dividedBy(60).truncatedTo(ChronoUnit.MINUTES);
    if (grid.compareTo(MIN_GRID) < 0) {
      return MIN_GRID;
    }
    return grid.compareTo(MAX_GRID) > 0 ? MAX_GRID : grid;
  }

  static Instant floor(Instant time, Duration grid) {
    long step = grid.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), step) * step);
  }

  static Instant ceil(Instant time, Duration grid) {
    Instant floor = floor(time, grid);
    return floor.equals(time) ? floor : floor.plus(grid);
  }

  /**
   * The last {@code length} of data that has arrived: it ends {@code dataDelay} before {@code now},
   * on the grid.
   */
  public static Window trailing(Instant now, Duration dataDelay, Duration length) {
    Instant end = floor(now.minus(dataDelay), grid(length));
    return new Window(end.minus(length), end);
  }

  /**
   * Whole minutes from {@code start} to the newest data that has arrived; empty while there is none
   * yet. A window starting mid-minute starts at the next minute: the minute of a traffic change
   * mixes the old split with the new.
   */
  public static Optional<Window> since(Instant start, Instant now, Duration dataDelay) {
    Instant from = ceil(start, MIN_GRID);
    Instant end = floor(now.minus(dataDelay), MIN_GRID);
    return end.isAfter(from) ? Optional.of(new Window(from, end)) : Optional.empty();
  }

  /** From {@code start} to the newest data, on the grid of that length; empty when none yet. */
  public static Optional<Window> sinceOnGrid(Instant start, Instant now, Duration dataDelay) {
    Instant latest = now.minus(dataDelay);
    if (!latest.isAfter(start)) {
      return Optional.empty();
    }
    Instant end = floor(latest, grid(Duration.between(start, latest)));
    return end.isAfter(start) ? Optional.of(new Window(start, end)) : Optional.empty();
  }
}
