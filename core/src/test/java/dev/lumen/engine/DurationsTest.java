package dev.lumen.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"200ms, PT0.2S", "90s, PT1M30S", "1h30m, PT1H30M", "28d, PT672H", "0s, PT0S"})
  void parsesTheDurationsOfTheApi(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "m", "1h 30m", "1.5h", "-1s", "10mins"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"PT0.2S, 200ms", "PT1H30M, 1h30m", "PT672H, 28d", "PT0S, 0s", "PT1M0.5S, 1m500ms"})
  void formatsAsUsersWriteThem(Duration duration, String expected) {
    assertThat(Durations.format(duration)).isEqualTo(expected);
  }
}
