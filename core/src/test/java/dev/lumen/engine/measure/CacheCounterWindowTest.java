package dev.lumen.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.engine.measure.CacheCounterWindow.Reading;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheCounterWindowTest {
  @Test
  void sumsDeltasAcrossRestartsAndStatisticResets() {
    var readings =
        List.of(
            new Reading(100, 50, "a"),
            new Reading(180, 70, "a"), // +80 hits, +20 misses
            new Reading(30, 5, "b"), // restarted: 30 and 5 since
            new Reading(40, 9, "b"), // +10, +4
            new Reading(2, 1, "b")); // CONFIG RESETSTAT: 2 and 1 since

    assertThat(CacheCounterWindow.between(readings)).isEqualTo(new CacheCounts(122, 30));
  }

  @Test
  void fewerThanTwoReadingsHaveNoLookups() {
    assertThat(CacheCounterWindow.between(List.of(new Reading(5, 5, "a"))))
        .isEqualTo(new CacheCounts(0, 0));
    assertThat(CacheCounterWindow.between(List.of())).isEqualTo(new CacheCounts(0, 0));
  }
}
