package dev.lumen.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangesTest {
  static final ChangeStatus TRAFFIC =
      new ChangeStatus(
          Changes.SET_TRAFFIC,
          List.of(new TrafficShare("web-00001", 50), new TrafficShare("web-00002", 50)),
          null,
          null,
          "step 1");
  static final ChangeStatus TTL_7M30S =
      new ChangeStatus(Changes.SET_CACHE_TTL, null, null, "7m30s", "hit rate low");
  static final ChangeStatus TTL_11M15S =
      new ChangeStatus(Changes.SET_CACHE_TTL, null, null, "11m15s", "hit rate low");
  static final ChangeStatus MIN_ONE =
      new ChangeStatus(Changes.SET_MIN_INSTANCES, null, 1, null, "cold starts");

  @Test
  void onlyTuningChangesWithNoAnnotationToRemoveMayWait() {
    assertThat(Changes.mayWait(new PendingStatus(List.of(TTL_7M30S, MIN_ONE), List.of()))).isTrue();
    assertThat(Changes.mayWait(new PendingStatus(List.of(TRAFFIC, TTL_7M30S), List.of())))
        .as("the rollout's status counts the traffic change made")
        .isFalse();
    assertThat(Changes.mayWait(new PendingStatus(List.of(), List.of("lumen.dev/pause"))))
        .as("an annotation acted on must go before it is acted on again")
        .isFalse();
  }

  @Test
  void aNewDecisionGoesFirstAndReplacesAWaitingChangeOfItsKind() {
    assertThat(Changes.after(List.of(TTL_7M30S, MIN_ONE), List.of(TRAFFIC, TTL_11M15S)))
        .containsExactly(TRAFFIC, TTL_11M15S, MIN_ONE);
    assertThat(Changes.after(List.of(TTL_7M30S), List.of())).containsExactly(TTL_7M30S);
  }
}
