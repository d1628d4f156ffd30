package dev.lumen.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.RolloutPhase;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.rollout.postPromotion: a regression that shows only at full traffic is still rolled back.
 */
class PostPromotionWatchTest {
  /** 5 % of requests fail: far over the 1 % error-rate trigger. */
  static final long FAILING_PER_MINUTE = 500;

  /** The default rollout of web-002, watched for 30 minutes, run until it is promoted. */
  static Harness promoted(LumenPolicySpec spec) {
    var h = new Harness(Harness.withPostPromotion(spec, "30m"));
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(40);
    assertThat(h.status.getStableRevision()).as("promoted").isEqualTo("web-002");
    return h;
  }

  @Test
  void aRegressionThatShowsOnlyAfterPromotionIsRolledBackToThePreviousRevisionWithinTheWatch() {
    var h = promoted(Harness.defaultPolicy());
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Watching);
    var watch = h.status.getRollout().watch();
    assertThat(watch.revision()).isEqualTo("web-002");
    assertThat(watch.previousRevision()).isEqualTo("web-001");
    assertThat(watch.baseline().requests())
        .as("the previous revision's requests during the rollout")
        .isGreaterThan(100_000);
    Condition progressing = h.condition(Conditions.PROGRESSING);
    assertThat(progressing.status()).isEqualTo(Condition.Status.True);
    assertThat(progressing.reason()).isEqualTo("Watching");
    assertThat(progressing.message())
        .isEqualTo(
            "promoted revision web-002 is watched until "
                + watch.endTime()
                + ": a breach of the rollback triggers or a Rollback gate rolls it back to"
                + " web-001");
    assertThat(h.decisions.stream().flatMap(d -> d.actions().stream()))
        .anyMatch(
            a ->
                a.kind().equals("Promoted")
                    && a.reason()
                        .endsWith(
                            "watched for 30m: a breach of the rollback triggers or"
                                + " a Rollback gate rolls it back to web-001"));

    h.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    h.run(3);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.RollbackPending);
    assertThat(h.condition(Conditions.ROLLBACK_PENDING).message())
        .startsWith("promoted revision web-002 availability 95 % is below 99 % over its ")
        .contains(" requests since promotion");
    assertThat(h.traffic).as("announced first").isEqualTo(Map.of("web-002", 100));

    h.run(6);
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(h.status.getStableRevision()).isEqualTo("web-001");
    assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(h.status.getRollout().watch()).isNull();
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(h.condition(Conditions.DEGRADED).reason()).isEqualTo("RolledBack");
    assertThat(h.eventKinds()).containsOnlyOnce("RollbackAnnounced").containsOnlyOnce("RolledBack");
  }

  @Test
  void aWatchThatHoldsUpEndsAndThePreviousRevisionIsForgotten() {
    var h = promoted(Harness.defaultPolicy());
    Instant end = Instant.parse(h.status.getRollout().watch().endTime());
    while (h.now.isBefore(end)) {
      h.run(1);
    }
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(h.status.getRollout().watch()).isNull();
    assertThat(h.eventKinds()).containsOnlyOnce("WatchPassed");
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("Idle");

    h.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    h.run(20);
    assertThat(h.traffic).as("after the window nothing rolls back").containsEntry("web-002", 100);
    assertThat(h.eventKinds()).doesNotContain("RollbackAnnounced");
  }

  @Test
  void removingPostPromotionFromTheSpecEndsTheWatch() {
    var h = promoted(Harness.defaultPolicy());
    h.spec = Harness.defaultPolicy();
    h.run(1);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(h.eventKinds()).containsOnlyOnce("WatchEnded");
  }

  @Test
  void withoutPostPromotionThereIsNoWatch() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(40);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    h.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    h.run(10);
    assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
  }

  @Test
  void aPromotionByAPersonIsNotWatched() {
    var h = new Harness(Harness.withPostPromotion(Harness.defaultPolicy(), "30m"));
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(3);
    h.tick(Command.PROMOTE);
    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
    assertThat(h.status.getRollout().watch()).isNull();
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
  }

  @Test
  void aPersonCanEndTheWatchOrRollBackDuringIt() {
    var accepted = promoted(Harness.defaultPolicy());
    accepted.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    accepted.run(3);
    assertThat(accepted.status.getPhase()).isEqualTo(RolloutPhase.RollbackPending);
    accepted.tick(Command.PROMOTE);
    assertThat(accepted.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(accepted.eventKinds()).contains("WatchEnded");
    accepted.run(10);
    assertThat(accepted.traffic).isEqualTo(Map.of("web-002", 100));

    var aborted = promoted(Harness.defaultPolicy());
    aborted.tick(Command.ABORT);
    assertThat(aborted.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(aborted.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(aborted.status.getStableRevision()).isEqualTo("web-001");

    var cancelled = promoted(Harness.defaultPolicy());
    cancelled.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    cancelled.run(3);
    cancelled.tick(Command.RETRY);
    assertThat(cancelled.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(cancelled.status.getRollout().watch()).isNull();
    cancelled.run(10);
    assertThat(cancelled.traffic).isEqualTo(Map.of("web-002", 100));
  }

  @Test
  void aNewerRevisionRollsOutFromThePromotedOneAndEndsTheWatch() {
    var h = promoted(Harness.defaultPolicy());
    h.deploy("web-003");
    h.run(1);
    assertThat(h.status.getCanaryRevision()).isEqualTo("web-003");
    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
    assertThat(h.status.getRollout().watch()).isNull();
    assertThat(h.eventKinds()).containsOnlyOnce("WatchEnded");
  }

  @Test
  void aNewerRevisionWaitsForAnAnnouncedRollbackOfThePromotedOne() {
    var h = promoted(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(10_000, FAILING_PER_MINUTE, 5);
    h.run(3);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.RollbackPending);
    h.deploy("web-003");
    h.canaryPerMinute = Harness.good(500);
    h.run(6);
    assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(h.status.getStableRevision()).isEqualTo("web-001");
    assertThat(h.status.getCanaryRevision()).as("then starts from web-001").isEqualTo("web-003");
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 95, "web-003", 5));
  }

  @Test
  void aPromotedRevisionRolledBackByHandIsAdoptedAndNoLongerWatched() {
    var h = promoted(Harness.defaultPolicy());
    h.traffic = new java.util.LinkedHashMap<>(Map.of("web-001", 100));
    h.run(1);
    assertThat(h.status.getStableRevision()).isEqualTo("web-001");
    assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(h.status.getRollout().watch()).isNull();
    assertThat(h.decisions.get(h.decisions.size() - 1).actions())
        .anyMatch(
            a ->
                a.kind().equals("TrafficChangedOutsideLumen")
                    && a.reason().startsWith("promoted revision web-002 was rolled back outside"));
  }

  @Test
  void inDryRunTheWatchIsToldAsWhatLumenWouldDo() {
    var h =
        promoted(
            Harness.policy(
                Harness.DEFAULT_STEPS, true, "5m", LumenPolicySpec.Mode.DryRun, null, null));
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("DryRunWatching");
    assertThat(h.condition(Conditions.PROGRESSING).message())
        .startsWith("would watch promoted revision web-002 until ")
        .endsWith("; the service serves {web-001=100} (DryRun moves no traffic)");
  }
}
