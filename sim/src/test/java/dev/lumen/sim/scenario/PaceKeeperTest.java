package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.clock.FastClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The demo slows down, and says why, when its clock keeps waiting for Lumen. */
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
}
