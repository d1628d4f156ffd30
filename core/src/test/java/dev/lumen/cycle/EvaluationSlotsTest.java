package dev.lumen.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluationSlotsTest {
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00.250Z");

  static String uid(int i) {
    return UUID.nameUUIDFromBytes(("policy-" + i).getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void aThousandResourcesAreSpreadOverTheMinute() {
    int[] perSecond = new int[60];
    IntStream.range(0, 1000)
        .mapToObj(i -> NOW.plus(EvaluationSlots.untilNext(uid(i), MINUTE, NOW)))
        .forEach(at -> perSecond[(int) Math.floorMod(at.getEpochSecond(), 60L)]++);

    // 16.7 a second on average; all in one second is what they would do without slots.
    assertThat(IntStream.of(perSecond).max().orElseThrow()).isLessThanOrEqualTo(32);
    assertThat(IntStream.of(perSecond).min().orElseThrow()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aResourceKeepsItsSlotWhenEvaluatedEarlyOrLate() {
    String uid = uid(7);
    Instant slot = NOW.plus(EvaluationSlots.untilNext(uid, MINUTE, NOW));
    for (Duration drift : new Duration[] {Duration.ofSeconds(-20), Duration.ofSeconds(5)}) {
      Instant woken = slot.plus(drift);
      Instant next = woken.plus(EvaluationSlots.untilNext(uid, MINUTE, woken));
      assertThat(Duration.between(slot, next).toMillis() % MINUTE.toMillis()).isZero();
      assertThat(next).isAfter(woken);
    }
    assertThat(EvaluationSlots.untilNext(uid, MINUTE, slot)).isEqualTo(MINUTE);
  }
}
