package dev.lumen.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionTest {
  @Test
  void aMessageTheApiServerWouldRefuseIsCutToItsLimitWithoutSplittingACharacter() {
    String huge = "🚀".repeat(40_000);

    String message = new Condition("Ready", Condition.Status.False, 1L, null, "X", huge).message();

    assertThat(message.codePointCount(0, message.length())).isEqualTo(Condition.MAX_MESSAGE);
    assertThat(message).startsWith("🚀🚀").endsWith("(cut to fit a condition message)");
    assertThat(Character.isHighSurrogate(message.charAt(message.indexOf(' ') - 1))).isFalse();
  }

  @Test
  void aMessageWithinTheLimitIsKeptAsItIs() {
    String limit = "a".repeat(Condition.MAX_MESSAGE);

    assertThat(new Condition("Ready", Condition.Status.True, 1L, null, "X", limit).message())
        .isEqualTo(limit);
  }
}
