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
}
