package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextViewTest {
  @Test
  void noColorSetToAnythingButEmptyTurnsColourOff() {
    assertThat(TextView.colorAllowed(Map.of())).isTrue();
    assertThat(TextView.colorAllowed(Map.of("NO_COLOR", "1"))).isFalse();
    assertThat(TextView.colorAllowed(Map.of("NO_COLOR", "true"))).isFalse();
    assertThat(TextView.colorAllowed(Map.of("NO_COLOR", "")))
        .as("no-color.org: empty is unset")
        .isTrue();
  }
}
