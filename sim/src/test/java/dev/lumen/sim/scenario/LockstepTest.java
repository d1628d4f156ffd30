package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.clock.FastClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The demo's clock waits for the evaluations that are due, and never for ever. */
class LockstepTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private final FastClock clock = FastClock.stopped(T0, 600);

  @Test
  void theClockWaitsForTheEarliestEvaluationDueThenRunsOnFromWhereItStood() throws Exception {
    var lockstep = new Lockstep(clock);
    lockstep.due("lumenpolicy/shop/web", T0.plusSeconds(30));
    lockstep.due("slotarget/shop/web", T0.plusSeconds(10));
    Instant waitsAt = T0.plusSeconds(10).plus(Lockstep.GRACE);
    clock.start();

    Thread.sleep(100); // a minute at 600x
    assertThat(clock.instant()).isEqualTo(waitsAt);
    lockstep.done("slotarget/shop/web");
    Thread.sleep(100);
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(30).plus(Lockstep.GRACE));
    lockstep.done("lumenpolicy/shop/web");
    Instant released = clock.instant();

    assertThat(released).as("no jump").isBefore(T0.plusSeconds(30 + 10));
    Thread.sleep(20);
    assertThat(clock.instant()).isAfter(released);
    assertThat(clock.held()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(lockstep.check()).isEmpty();
  }

  @Test
  void anEvaluationScheduledAgainMovesTheWaitWithIt() throws Exception {
    var lockstep = new Lockstep(clock);
    lockstep.due("lumenpolicy/shop/web", T0.plusSeconds(5));
    lockstep.due("lumenpolicy/shop/web", T0.plusSeconds(60));
    clock.start();

    Thread.sleep(50); // 30 s at 600x

    assertThat(clock.instant()).isAfter(T0.plusSeconds(20)).isBefore(T0.plusSeconds(62));
  }

  @Test
  void anEvaluationThatNeverBeginsIsGivenUpOnAndSaidSo() throws Exception {
    var lockstep = new Lockstep(clock, Duration.ofMillis(100));
    lockstep.due("lumenpolicy/shop/stuck", T0.plusSeconds(1));
    lockstep.due("lumenpolicy/shop/later", T0.plusSeconds(300));
    clock.start();
    Thread.sleep(20);
    assertThat(lockstep.check()).isEmpty(); // it begins to stand
    Thread.sleep(150);

    var given = lockstep.check();

    assertThat(given)
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains("lumenpolicy/shop/stuck", "0.1 s of real time")
                    .doesNotContain("later"));
    Thread.sleep(20);
    assertThat(clock.instant()).isAfter(T0.plusSeconds(3));
  }
}
