package dev.lumen.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import dev.lumen.engine.rollout.Action;
import java.util.List;
import java.util.Map;
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

  @Test
  void aTrafficChangeRecordsTheSplitItReplacesAndIsOvertakenOnlyBySomethingElse() {
    var rollback = new Action.SetTraffic(Map.of("web-00001", 100), "Rollback", "errors");
    var changes =
        Changes.of(
            List.of(new Action.Event(true, "RolledBack", "errors"), rollback),
            Map.of("web-00001", 50, "web-00002", 50, "web-00003", 0));

    assertThat(changes).hasSize(1);
    ChangeStatus change = changes.get(0);
    assertThat(Changes.split(change.replaces()))
        .isEqualTo(Map.of("web-00001", 50, "web-00002", 50));
    assertThat(Changes.overtaken(change, Map.of("web-00001", 50, "web-00002", 50))).isFalse();
    assertThat(Changes.overtaken(change, Map.of("web-00001", 100))).as("already made").isFalse();
    assertThat(Changes.overtaken(change, Map.of("web-00002", 100))).isTrue();
    assertThat(Changes.overtaken(TRAFFIC, Map.of("web-00002", 100)))
        .as("recorded by an operator that did not say what it replaces")
        .isFalse();
  }

  @Test
  void aSecondTrafficChangeInOneDecisionReplacesTheFirst() {
    var changes =
        Changes.of(
            List.of(
                new Action.SetTraffic(Map.of("a", 50, "b", 50), "SetTraffic", "step 0"),
                new Action.SetTraffic(Map.of("b", 100), "Promote", "promoted")),
            Map.of("a", 100));

    assertThat(Changes.split(changes.get(1).replaces())).isEqualTo(Map.of("a", 50, "b", 50));
  }
}
