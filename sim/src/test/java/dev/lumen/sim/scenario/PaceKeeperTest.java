package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.clock.FastClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo slows down, and says why, when its clock keeps waiting for Lumen; it speeds up again,
 * and says so, once Lumen keeps up.
 */
class PaceKeeperTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void aClockThatStoodStillForMostOfTheWindowRunsAtHalfTheSpeed() throws Exception {
    var clock = new FastClock(T0, 120);
    var keeper = new PaceKeeper(clock, Duration.ofMillis(200));
    assertThat(keeper.check()).isEmpty();
    clock.limitTo(clock.instant()); // Lumen is behind: the clock stands

    Thread.sleep(250);
    var slowdown = keeper.check();

    assertThat(slowdown)
        .hasValueSatisfying(
            s -> {
              assertThat(s.from()).isEqualTo(120);
              assertThat(s.to()).isEqualTo(60);
              assertThat(s.describe())
                  .startsWith("this machine cannot keep up at 120x: the clock waited 0.")
                  .endsWith("running at 60x from here");
            });
    assertThat(clock.speed()).isEqualTo(60);
  }

  @Test
  void aClockThatKeptRunningKeepsItsSpeedAndNoneGoesBelowTheSlowest() throws Exception {
    var running = new FastClock(T0, 120);
    var keeper = new PaceKeeper(running, Duration.ofMillis(100));
    keeper.check();
    Thread.sleep(150);
    assertThat(keeper.check()).isEmpty();
    assertThat(running.speed()).isEqualTo(120);

    var slowest = new FastClock(T0, PaceKeeper.SLOWEST);
    var atTheBottom = new PaceKeeper(slowest, Duration.ofMillis(100));
    atTheBottom.check();
    slowest.limitTo(slowest.instant());
    Thread.sleep(150);
    assertThat(atTheBottom.check()).isEmpty();
  }

  @Test
  void aClockThatRunsFreelyAgainGetsBackToTheSpeedAskedForAndNoFaster() throws Exception {
    var clock = new FastClock(T0, 120);
    var keeper = new PaceKeeper(clock, Duration.ofMillis(40));
    keeper.check();
    standStill(clock, keeper);

    var changes = calmWindows(keeper, PaceKeeper.CALM_WINDOWS);

    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.to()).isEqualTo(120);
              assertThat(c.describe())
                  .startsWith("this machine keeps up again: the clock waited 0.0 s of the last")
                  .endsWith("running at 120x from here");
            });
    assertThat(calmWindows(keeper, 3 * PaceKeeper.CALM_WINDOWS)).isEmpty();
    assertThat(clock.speed()).isEqualTo(120);
  }

  @Test
  void aFasterSpeedGivenUpAgainIsTriedOnlyAfterTwiceAsLongACalm() throws Exception {
    var clock = new FastClock(T0, 120);
    var keeper = new PaceKeeper(clock, Duration.ofMillis(40));
    keeper.check();
    standStill(clock, keeper);
    assertThat(calmWindows(keeper, PaceKeeper.CALM_WINDOWS)).hasSize(1);
    standStill(clock, keeper);
    assertThat(clock.speed()).isEqualTo(60);

    assertThat(calmWindows(keeper, 2 * PaceKeeper.CALM_WINDOWS - 1)).isEmpty();
    assertThat(calmWindows(keeper, 1))
        .singleElement()
        .satisfies(c -> assertThat(c.to()).isEqualTo(120));
  }

  /** One window in which the clock stood still: the speed halves. */
  private static void standStill(FastClock clock, PaceKeeper keeper) throws InterruptedException {
    clock.limitTo(clock.instant());
    Thread.sleep(50);
    assertThat(keeper.check()).isPresent();
    clock.limitTo(null);
  }

  /** The changes of speed over {@code count} windows in which the clock never waited. */
  private static List<PaceKeeper.SpeedChange> calmWindows(PaceKeeper keeper, int count)
      throws InterruptedException {
    List<PaceKeeper.SpeedChange> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Thread.sleep(45);
      keeper.check().ifPresent(changes::add);
    }
    return changes;
  }
}
