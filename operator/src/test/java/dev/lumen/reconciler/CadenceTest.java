package dev.lumen.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.clock.VirtualClock;
import dev.lumen.metrics.LumenMetrics;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Evaluations keep the cadence the cycle asked for, and their lateness is measured. */
class CadenceTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final HasMetadata RESOURCE =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withNamespace("shop")
          .withName("checkout")
          .endMetadata()
          .build();

  private final VirtualClock clock = new VirtualClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Cadence cadence(double speed) {
    return new Cadence("lumenpolicy", clock, new Pacing(speed), new LumenMetrics(registry));
  }

  /**
   * The cycle decided at T0 to look again a minute later; the reconcile took 10 s more. The old
   * reconcilers waited a full minute from the reconcile's end, so every evaluation drifted by the
   * reconcile's length (at 120x, 12 s of every scenario minute).
   */
  @Test
  void theWaitCountsFromWhenTheCycleDecidedNotFromTheEndOfTheReconcile() {
    var cadence = cadence(1);
    cadence.begin(RESOURCE);
    clock.advance(Duration.ofSeconds(10));

    var control = cadence.next(RESOURCE, Optional.of(T0.plus(Duration.ofMinutes(1))));

    assertThat(control.getScheduleDelay()).contains(Duration.ofSeconds(50).toMillis());
  }

  @Test
  void aListenerIsToldWhenEachEvaluationIsDueWhileItRunsAndWhenNothingIsAwaited() {
    var told = new java.util.ArrayList<String>();
    var listener =
        new ScheduleListener() {
          @Override
          public void due(String evaluation, Instant at) {
            told.add(evaluation + " due at " + at);
          }

          @Override
          public void done(String evaluation) {
            told.add(evaluation + " done");
          }
        };
    var cadence =
        new Cadence(
            "lumenpolicy", clock, new Pacing(() -> 1, listener), new LumenMetrics(registry));

    cadence.begin(RESOURCE);
    clock.advance(Duration.ofSeconds(1));
    cadence.next(RESOURCE, Optional.of(T0.plus(Duration.ofMinutes(1))));
    cadence.finish(RESOURCE); // next said what is awaited: nothing more to tell
    clock.set(T0.plus(Duration.ofMinutes(1)));
    cadence.begin(RESOURCE);
    cadence.next(RESOURCE, Optional.empty());
    cadence.finish(RESOURCE);
    cadence.begin(RESOURCE);
    cadence.finish(RESOURCE); // the reconcile failed before it said what next
    cadence.next(RESOURCE, Optional.of(T0.plus(Duration.ofMinutes(3))));
    cadence.forget(RESOURCE);

    String key = "lumenpolicy/shop/checkout";
    assertThat(told)
        .containsExactly(
            key + " due at 2026-03-02T10:00:00Z",
            key + " due at 2026-03-02T10:01:00Z",
            key + " due at 2026-03-02T10:01:00Z",
            key + " done",
            key + " due at 2026-03-02T10:01:00Z",
            key + " done",
            key + " due at 2026-03-02T10:03:00Z",
            key + " done");
  }

  @Test
  void anEvaluationThatBeginsAfterItWasDueIsCountedLate() {
    var cadence = cadence(1);
    cadence.next(RESOURCE, Optional.of(T0.plus(Duration.ofMinutes(1))));
    clock.set(T0.plus(Duration.ofSeconds(65)));

    cadence.begin(RESOURCE);

    var lateness = registry.find("lumen.evaluation.lateness").summary();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.totalAmount()).isEqualTo(5.0);
  }

  @Test
  void anEvaluationAnEventBringsEarlyIsNotLateAndNothingScheduledIsNotWaitedFor() {
    var cadence = cadence(1);
    cadence.next(RESOURCE, Optional.of(T0.plus(Duration.ofMinutes(1))));
    clock.set(T0.plus(Duration.ofSeconds(20)));
    cadence.begin(RESOURCE);
    assertThat(cadence.next(RESOURCE, Optional.empty()).getScheduleDelay()).isEmpty();

    clock.set(T0.plus(Duration.ofMinutes(5)));
    cadence.begin(RESOURCE);

    assertThat(registry.find("lumen.evaluation.lateness").summary()).isNull();
  }

  /**
   * On a fast clock a wait is rounded up to whole real milliseconds: rounded down (as before), an
   * evaluation due at a minute ran a few clock milliseconds early, found its analysis not yet due,
   * and waited another minute.
   */
  @Test
  void aFastClocksWaitIsNeverShorterThanAsked() {
    var pacing = new Pacing(120);
    for (long millis : new long[] {1_000, 59_950, 60_000, 60_070, 299_999}) {
      Duration real = pacing.real(Duration.ofMillis(millis));
      assertThat(real.toNanos() * 120)
          .as("%d ms", millis)
          .isGreaterThanOrEqualTo(millis * 1_000_000);
      assertThat(real.toMillis() * 120).as("%d ms", millis).isLessThan(millis + 120);
    }
  }
}
