package dev.lumen.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The demo's clock changes speed without a jump. */
class FastClockTest {
  @Test
  void aChangeOfSpeedRunsOnFromTheTimeShownThen() throws InterruptedException {
    Instant origin = Instant.parse("2026-03-02T10:00:00Z");
    var clock = new FastClock(origin, 600);
    Thread.sleep(50);
    Instant before = clock.instant();

    clock.changeSpeed(10);
    Instant after = clock.instant();
    Thread.sleep(100);
    Instant later = clock.instant();

    assertThat(clock.speed()).isEqualTo(10);
    assertThat(after).isAfterOrEqualTo(before);
    // 50 ms at 600x is at least 30 s; a jump back to the origin or ahead would show here.
    assertThat(Duration.between(origin, after))
        .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
    // 100 ms at 10x is about a second, not the minute it would be at 600x.
    assertThat(Duration.between(after, later))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void aLimitedClockStandsAtItsLimitThenRunsOnFromItWithoutAJump() throws InterruptedException {
    Instant origin = Instant.parse("2026-03-02T10:00:00Z");
    var clock = new FastClock(origin, 600);
    Instant limit = origin.plusSeconds(6); // 10 ms of real time at 600x

    clock.limitTo(limit);
    Thread.sleep(100); // a minute at 600x, were it not held
    assertThat(clock.instant()).isEqualTo(limit);
    clock.limitTo(origin.plusSeconds(3)); // a limit already passed holds where it stands
    assertThat(clock.instant()).isEqualTo(limit);
    clock.limitTo(null);
    Instant released = clock.instant();
    Thread.sleep(20);
    Instant later = clock.instant();

    assertThat(released).as("no jump when released").isBefore(limit.plusSeconds(3));
    assertThat(later).isAfter(released);
    assertThat(clock.held()).isGreaterThanOrEqualTo(Duration.ofMillis(80));
  }

  @Test
  void aStoppedClockKeepsItsLimitForWhenItStarts() throws InterruptedException {
    Instant origin = Instant.parse("2026-03-02T10:00:00Z");
    var clock = FastClock.stopped(origin, 600);
    clock.limitTo(origin.plusSeconds(6));
    Thread.sleep(30);
    assertThat(clock.instant()).isEqualTo(origin);

    clock.start();
    Thread.sleep(50);

    assertThat(clock.instant()).isEqualTo(origin.plusSeconds(6));
  }
}
