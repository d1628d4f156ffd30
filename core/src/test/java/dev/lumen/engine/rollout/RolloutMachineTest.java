package dev.lumen.engine.rollout;

import static dev.lumen.engine.rollout.Harness.approval;
import static dev.lumen.engine.rollout.Harness.policy;
import static dev.lumen.engine.rollout.Harness.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.FreezeWhen;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec.Mode;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.engine.Severity;
import dev.lumen.engine.canary.RollbackTriggerCheck;
import dev.lumen.engine.canary.StableHistory;
import dev.lumen.engine.gate.ErrorBudgets;
import dev.lumen.engine.measure.RequestCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {
  static Map<String, Integer> split(Object... pairs) {
    var map = new java.util.TreeMap<String, Integer>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return map;
  }

  static List<Map<String, Integer>> trafficSet(Decision decision) {
    return decision.actions().stream()
        .filter(a -> a instanceof Action.SetTraffic)
        .map(a -> ((Action.SetTraffic) a).split())
        .toList();
  }

  @Test
  void adoptsTheRevisionServingTrafficAsStableWithoutTouchingIt() {
    var h = new Harness(Harness.defaultPolicy());

    Decision first = h.tick();

    assertThat(h.status.getStableRevision()).isEqualTo("web-001");
    assertThat(trafficSet(first)).isEmpty();
    assertThat(h.eventKinds()).containsExactly("StableAdopted");
    assertThat(h.condition(Conditions.PROGRESSING).status()).isEqualTo(Condition.Status.False);
  }

  @Test
  void aNewRevisionWalksEveryStepAndIsPromoted() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");

    Decision start = h.tick();
    assertThat(trafficSet(start)).containsExactly(split("web-001", 95, "web-002", 5));
    assertThat(h.status.getCanaryWeight()).isEqualTo(5);
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("Step0");

    h.run(9);
    assertThat(h.status.getCanaryWeight()).as("still baking at minute 9").isEqualTo(5);
    assertThat(h.status.getRollout().lastAnalysis().verdict()).isEqualTo(Verdict.Pass);
    h.run(1);
    assertThat(h.status.getCanaryWeight()).isEqualTo(10);
    h.run(10);
    assertThat(h.status.getCanaryWeight()).isEqualTo(50);
    h.run(10);

    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
    assertThat(h.status.getCanaryRevision()).isNull();
    assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
    assertThat(h.eventKinds()).containsSubsequence("RolloutStarted", "Promoted");
    assertThat(h.status.getRecentDecisions().get(0).action()).isEqualTo("Promoted");
  }

  @Test
  void aLateAnalysisDelaysOnlyItselfNotTheOnesAfterIt() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();
    Instant stepStart = h.now;

    h.now = stepStart.plus(Duration.ofSeconds(110)); // a busy operator: 50 s late
    h.tick();
    assertThat(h.status.getRollout().lastAnalysis().time()).isEqualTo(h.now.toString());
    h.now = stepStart.plus(Duration.ofMinutes(2));
    h.tick();

    assertThat(h.status.getRollout().lastAnalysis().time())
        .as("the next analysis is due on the step's grid, not an interval after the late one")
        .isEqualTo(stepStart.plus(Duration.ofMinutes(2)).toString());
    h.now = stepStart.plus(Duration.ofSeconds(150));
    h.tick();
    assertThat(h.status.getRollout().lastAnalysis().time())
        .as("not again before the next slot")
        .isEqualTo(stepStart.plus(Duration.ofMinutes(2)).toString());
  }

  @Test
  void pastTheProgressDeadlineTheCanaryHoldsUntilAnAnalysisPasses() {
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.good(2); // 2 requests a minute: 100 only after 50 minutes
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(39);
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("Step0");
    h.run(1); // 10 m pause + 30 m progressDeadline
    assertThat(h.condition(Conditions.PROGRESSING).status()).isEqualTo(Condition.Status.False);
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(h.condition(Conditions.PROGRESSING).message())
        .startsWith("no passing analysis within progressDeadline 30m")
        .contains("web-002 holds at 5 %", "lumen.dev/promote", "lumen.dev/abort");
    h.run(9);
    assertThat(h.traffic).containsEntry("web-002", 5);
    assertThat(h.status.getRollout().pendingRollback()).isNull();
    assertThat(h.eventKinds()).containsOnlyOnce("ProgressDeadlineExceeded");

    h.run(1); // 50 minutes of 2 requests: the analysis has its 100 and passes
    assertThat(h.status.getCanaryWeight()).isEqualTo(10);
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("Step1");
    assertThat(h.status.getRollout().deadlineExceeded()).isNull();
  }

  @Test
  void tooLittleTrafficHoldsTheStepThenRollsBackAtTheProgressDeadlineWhenAskedTo() {
    var h =
        new Harness(
            Harness.withOnProgressDeadline(
                Harness.defaultPolicy(), RolloutSpec.OnProgressDeadline.Rollback));
    h.canaryPerMinute = Harness.good(2); // 2 requests a minute: 100 only after 50 minutes
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(39);
    assertThat(h.status.getCanaryWeight()).as("inconclusive holds, never advances").isEqualTo(5);
    assertThat(h.status.getRollout().lastAnalysis().verdict()).isEqualTo(Verdict.Inconclusive);
    assertThat(h.status.getRollout().pendingRollback()).isNull();

    h.run(1); // 10 m pause + 30 m progressDeadline
    assertThat(h.status.getRollout().pendingRollback().reason())
        .startsWith("no passing analysis within progressDeadline 30m");
    assertThat(h.condition(Conditions.ROLLBACK_PENDING).reason()).isEqualTo("RollbackAnnounced");
    h.run(4);
    assertThat(h.traffic).containsEntry("web-002", 5);
    h.run(1);

    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(h.condition(Conditions.DEGRADED).reason()).isEqualTo("RolledBack");
  }

  @Test
  void failedAnalysesBeyondTheFailureLimitAnnounceARollback() {
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(500, 0, 8); // three buckets slower than stable
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(2);
    assertThat(h.status.getRollout().stepFailures()).isEqualTo(2);
    assertThat(h.status.getRollout().pendingRollback()).isNull();
    h.run(1);

    assertThat(h.status.getRollout().pendingRollback().reason())
        .startsWith(
            "analysis failed 3 times in step 0: latencyVsStable: canary is slower than stable"
                + " beyond the tolerance");
    assertThat(h.status.getRollout().lastAnalysis().checks())
        .anySatisfy(c -> assertThat(c.name()).isEqualTo("latencyVsStable"));
    h.run(5);
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
  }

  @Test
  void statusShowsThePhaseTheRolloutIsIn() {
    var steps = List.of(step(5, "10m"), approval(), step(100, null));
    var h = new Harness(policy(steps, true, "5m", Mode.Enforce, null, null));
    h.tick();
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);

    h.deploy("web-002");
    h.tick();
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    h.run(10);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.AwaitingApproval);
    h.tick(Command.APPROVE);
    assertThat(h.status.getPhase()).as("the last step: promoted").isEqualTo(RolloutPhase.Idle);

    h.deploy("web-003");
    h.tick();
    h.canaryPerMinute = Harness.traffic(500, 50, 5); // 90 % availability
    h.run(1);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.RollbackPending);
    h.run(5);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
    assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));

    h.canaryPerMinute = Harness.good(500);
    h.deploy("web-004");
    h.tick();
    h.traffic = Map.of("web-002", 50, "web-004", 50);
    h.tick();
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Paused);
    h.tick(Command.RETRY);
    assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Progressing);
  }

  @Test
  void aRollbackTriggerIsAnnouncedThenExecutedAfterTheGracePeriod() {
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(500, 50, 5); // 90 % availability
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(1);
    assertThat(h.status.getRollout().pendingRollback().reason())
        .startsWith("canary availability 90 % is below 99 %");
    assertThat(h.decisions.get(h.decisions.size() - 1).actions())
        .anySatisfy(a -> assertThat(a).isInstanceOf(Action.Notify.class));
    h.run(4);
    assertThat(h.traffic).containsEntry("web-002", 5);
    h.run(1);

    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(h.eventKinds()).containsSubsequence("RollbackAnnounced", "RolledBack");
  }

  @Test
  void theTriggersWeighTheWholeRolloutsRequests() {
    // 2 % of requests fail against the 99 % availability trigger, as stable's 1.8 % do (no
    // regression against stable). The first step's 2,000 requests do not show the breach at the
    // trigger's share of the false-rollback budget; with them, the second step's first minutes do,
    // which on their own would not.
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(200, 4, 5);
    h.stablePerMinute = Harness.traffic(9_500, 171, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(10);
    assertThat(h.status.getCanaryWeight()).isEqualTo(10);
    assertThat(h.status.getRollout().pendingRollback()).isNull();
    assertThat(h.status.getRollout().earlierSteps().canary().requests()).isEqualTo(2_000);
    assertThat(h.status.getRollout().earlierSteps().stable().serverErrors()).isEqualTo(1_710);

    h.run(STEP_MINUTES_TO_BREACH);

    assertThat(h.status.getRollout().pendingRollback().reason())
        .startsWith("canary availability 98 % is below 99 % over the rollout's");
    var stepAlone =
        new RequestCounts(200L * STEP_MINUTES_TO_BREACH, 0, 4L * STEP_MINUTES_TO_BREACH);
    assertThat(
            RollbackTriggerCheck.breach(
                Harness.TRIGGERS, stepAlone, RollbackTriggerCheck.Subject.CANARY))
        .as("the second step's own minutes do not show it")
        .isEmpty();
  }

  private static final int STEP_MINUTES_TO_BREACH = 4;

  @Test
  void aCanaryAtItsLimitIsNotRolledBackByTheTriggers() {
    // 1 % against stable's 0.9 %, within the comparison's tolerance. The triggers' test, which
    // takes healthy to be at most half the limit, would favour "at the limit" over "healthy"
    // after 2,700 requests, but the limit is a maximum and 1 % does not break it.
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(500, 5, 5);
    h.stablePerMinute = Harness.traffic(9_500, 85, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(20);

    assertThat(h.eventKinds()).doesNotContain("RollbackAnnounced");
    assertThat(h.status.getCanaryWeight()).isEqualTo(50);
  }

  @Test
  void aCanaryWorseThanStableIsNotPromotedOnTheLastStepsNoise() {
    // 0.8 % against stable's 0.4 %: beyond the 25 % tolerance, at mustCatch (2x). The early steps'
    // 2,500 requests each cannot show it, so they move on on schedule; their evidence stays, and
    // the last step adds to it until it shows the regression. It is never promoted meanwhile.
    var h = new Harness(Harness.withStableHistory(Harness.defaultPolicy(), "24h"));
    h.canaryPerMinute = Harness.traffic(250, 2, 5);
    h.stablePerMinute = Harness.traffic(9_500, 38, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();

    h.run(20);
    assertThat(h.status.getCanaryWeight()).isEqualTo(50);
    assertThat(h.eventKinds()).doesNotContain("AnalysisFailed");
    assertThat(
            Double.parseDouble(
                h.status.getRollout().earlierSteps().evidence().errorRateWorse().get(0)))
        .as("the early steps' evidence of a 2x regression is kept")
        .isPositive();
    int minutes = 0;
    while (h.status.getRollout().pendingRollback() == null && minutes < 40) {
      assertThat(h.status.getStableRevision()).as("not promoted").isEqualTo("web-001");
      h.run(1);
      minutes++;
    }

    assertThat(h.status.getRollout().pendingRollback())
        .as("found within 40 minutes at 50 %%")
        .isNotNull();
    assertThat(h.status.getRollout().pendingRollback().reason())
        .startsWith("analysis failed 3 times in step 2: errorRateVsStable")
        .contains("(the rollout's " + (5_000 + 250 * (minutes + 0)) + " requests)");
    assertThat(h.status.getCanaryRevision()).as("announced, not promoted").isEqualTo("web-002");
  }

  @Test
  void stablesHistoryBeforeTheRolloutPromotesAHealthyCanarySooner() {
    // A canary 1.2x as bad as stable, at 1 % against 0.83 %, with 10 errors a step each: step by
    // step it is not told within 2x by the end of the last step; with a day of stable's requests,
    // stable's rate is all but known.
    int without = minutesToPromote(Optional.empty());
    int with =
        minutesToPromote(Optional.of(history(new RequestCounts(24 * 60 * 240L, 0, 24 * 60 * 2L))));

    assertThat(with).as("with a day of stable's history").isLessThan(without);
  }

  @Test
  void aRegressionIsRolledBackOnTheRolloutsOwnRequestsWhateverStablesHistorySays() {
    // A dependency fails for the whole rollout, both revisions at 0.8 %: against the day before, at
    // 0.08 %, the canary would look 10x worse. Rollbacks weigh each step's own counts only.
    var h = rolloutWithADayOfHistory(2, 76, 8);

    h.run(60);

    assertThat(h.eventKinds()).doesNotContain("RollbackAnnounced", "RolledBack");
    assertThat(h.eventTexts("StableHistorySetAside"))
        .singleElement()
        .asString()
        .startsWith("web-002: stable's error rate during the rollout, 0.8 % of")
        .contains("differs from its 0.082 %")
        .endsWith("the promotion weighs the rollout's own requests from here");
  }

  @Test
  void stablesHistoryIsSetAsideBeforeARegressionLooksLikeStableOnAQuietDay() {
    // Both revisions fail half as often as in the day before, and the canary twice as often as
    // stable: against the history it would look like stable. Stable's own requests show the change
    // first, and the canary is not promoted.
    var h = rolloutWithADayOfHistory(1, 19, 39);

    h.run(40);

    assertThat(h.eventKinds()).contains("StableHistorySetAside");
    assertThat(h.status.getStableRevision()).as("not promoted").isEqualTo("web-001");
  }

  /**
   * web-002's rollout under a policy counting stable's day before: 250 canary and 9,500 stable
   * requests a minute, failing this many a minute, against a day of 9,750 a minute.
   */
  private static Harness rolloutWithADayOfHistory(
      long canaryErrors, long stableErrors, long historyErrors) {
    var h = new Harness(Harness.withStableHistory(Harness.defaultPolicy(), "24h"));
    h.canaryPerMinute = Harness.traffic(250, canaryErrors, 5);
    h.stablePerMinute = Harness.traffic(9_500, stableErrors, 5);
    h.stableHistory =
        Optional.of(history(new RequestCounts(24 * 60 * 9_750L, 0, 24 * 60 * historyErrors)));
    h.tick();
    h.deploy("web-002");
    h.tick();
    return h;
  }

  @Test
  void stablesHistoryInStatusStopsCountingOnceThePolicyNoLongerAsksForIt() {
    // The history was read while the policy asked for it; the policy now says 0s.
    var history = Optional.of(history(new RequestCounts(24 * 60 * 240L, 0, 24 * 60 * 2L)));

    assertThat(minutesToPromote(Harness.defaultPolicy(), history))
        .isEqualTo(minutesToPromote(Harness.defaultPolicy(), Optional.empty()));
  }

  @Test
  void stablesHistoryStillPromotesUnderAStrictConfidence() {
    // At confidence 99 the promotion may be wrong in 1 % of rollouts: the history's set-aside
    // takes a share of that, not all of it, so the history still promotes a healthy canary sooner
    // (when it took all of it, only a set-aside hours later let the canary through).
    var policy = Harness.withStableHistory(Harness.defaultPolicy(), "24h");
    var a = policy.rollout().analysis();
    var strict =
        new AnalysisSpec(
            a.interval(),
            a.minRequests(),
            a.failureLimit(),
            a.maxErrorRate(),
            a.maxLatencyP95(),
            a.minSuccessRate(),
            a.compareWithStable(),
            a.tolerance(),
            "99",
            a.minConfidenceScore(),
            a.mustCatch(),
            a.stableHistory());
    policy = Harness.withAnalysis(policy, strict);

    int with =
        minutesToPromote(
            policy, Optional.of(history(new RequestCounts(24 * 60 * 240L, 0, 24 * 60 * 2L))));

    assertThat(with)
        .as("with a day of stable's history")
        .isLessThan(minutesToPromote(policy, Optional.empty()));
  }

  /** Minutes from the deploy until a healthy canary is promoted. */
  private static int minutesToPromote(Optional<StableHistory> history) {
    return minutesToPromote(Harness.withStableHistory(Harness.defaultPolicy(), "24h"), history);
  }

  private static int minutesToPromote(LumenPolicySpec policy, Optional<StableHistory> history) {
    var h = new Harness(policy);
    h.canaryPerMinute = Harness.traffic(100, 1, 5);
    h.stablePerMinute = Harness.traffic(120, 1, 5);
    h.stableHistory = history;
    h.tick();
    h.deploy("web-002");
    h.tick();
    int minutes = 0;
    while (!"web-002".equals(h.status.getStableRevision()) && minutes < 600) {
      h.run(1);
      minutes++;
    }
    assertThat(h.status.getStableRevision()).as("promoted within 10 hours").isEqualTo("web-002");
    return minutes;
  }

  private static StableHistory history(RequestCounts requests) {
    return new StableHistory(
        "web-001", Harness.START.minus(Duration.ofHours(24)), Harness.START, requests);
  }

  @Test
  void aScheduleTooShortForMustCatchIsToldOnceAtTheFirstStepAndNothingIsPromoted() {
    // 40 requests a minute and no errors to compare: ten-minute steps cannot show the canary
    // within 0.1 points of stable's error rate, let alone within 2x of it.
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(2, 0, 5);
    h.stablePerMinute = Harness.traffic(38, 0, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(2);

    Condition guarantee = h.condition(Conditions.GUARANTEE_REACHABLE);
    assertThat(guarantee.status()).isEqualTo(Condition.Status.False);
    assertThat(guarantee.reason()).isEqualTo("ScheduleTooShort");
    assertThat(guarantee.message()).contains("mustCatch 2x errors");
    assertThat(h.eventKinds()).containsOnlyOnce("ScheduleTooShort");

    h.run(40);
    assertThat(h.eventKinds())
        .as("told once while it stays out of reach")
        .containsOnlyOnce("ScheduleTooShort");
    assertThat(h.status.getCanaryRevision()).as("holding for evidence").isEqualTo("web-002");
    assertThat(h.status.getStableRevision()).isEqualTo("web-001");
  }

  @Test
  void aBusyServiceIsOnSchedule() {
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(500, 3, 5);
    h.stablePerMinute = Harness.traffic(9_500, 47, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(2);

    assertThat(h.condition(Conditions.GUARANTEE_REACHABLE).reason()).isEqualTo("OnSchedule");
    assertThat(h.status.getRollout().guarantee().errorRate()).endsWith("x");
    assertThat(h.eventKinds()).doesNotContain("ScheduleTooShort");
  }

  @Test
  void aHeldRollbackWaitsUntilReleased() {
    var h = new Harness(Harness.defaultPolicy());
    h.canaryPerMinute = Harness.traffic(500, 50, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(1);

    h.tick(Command.HOLD);
    assertThat(h.condition(Conditions.ROLLBACK_PENDING).reason()).isEqualTo("RollbackHeld");
    h.run(30);
    assertThat(h.traffic).containsEntry("web-002", 5);
    assertThat(h.condition(Conditions.ROLLBACK_PENDING).message())
        .as("past its time, the held rollback says so instead of naming a time gone by")
        .contains("held (lumen.dev/hold-rollback) since its time")
        .contains("it executes once released (lumen.dev/release-rollback)")
        .doesNotContain("executes after");

    Decision released = h.tick(Command.RELEASE);
    assertThat(released.consumed()).containsExactly(Command.RELEASE);
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
  }

  @Test
  void anApprovalStepWaitsForAPersonWithoutDeadlineAndSaysSo() {
    var h =
        new Harness(
            policy(
                List.of(step(5, "2m"), approval(), step(100, null)),
                true,
                "5m",
                Mode.Enforce,
                null,
                null));
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(2);
    assertThat(h.status.getStep()).isEqualTo(1);
    assertThat(h.eventKinds()).contains("WaitingForApproval");

    h.run(180);
    assertThat(h.status.getStep()).isEqualTo(1);
    assertThat(h.status.getCanaryWeight()).isEqualTo(5);
    Condition progressing = h.condition(Conditions.PROGRESSING);
    assertThat(progressing.reason()).isEqualTo("AwaitingApproval");
    assertThat(progressing.message())
        .isEqualTo(
            "canary web-002 at 5 % in step 1, waiting for approval (annotate lumen.dev/approve)");
    Decision approved = h.tick(Command.APPROVE);

    assertThat(approved.consumed()).containsExactly(Command.APPROVE);
    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
    assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
  }

  @Test
  void commandsThatDoNotApplyAreConsumedAndExplained() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();

    Decision decision = h.tick(Command.APPROVE, Command.PROMOTE, Command.ABORT);

    assertThat(decision.consumed())
        .containsExactlyInAnyOrder(Command.APPROVE, Command.PROMOTE, Command.ABORT);
    assertThat(h.eventKinds()).contains("NothingToApprove", "NothingToPromote", "NothingToAbort");
    assertThat(trafficSet(decision)).isEmpty();
  }

  @Test
  void promoteSkipsTheRemainingSteps() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();

    Decision promoted = h.tick(Command.PROMOTE);

    assertThat(trafficSet(promoted)).containsExactly(split("web-002", 100));
    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
  }

  @Test
  void abortRollsBackAtOnceAndTheFailedRevisionIsNotRetriedUntilANewerOneOrARetry() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();

    Decision aborted = h.tick(Command.ABORT);
    assertThat(trafficSet(aborted)).containsExactly(split("web-001", 100));
    h.run(60);
    assertThat(h.status.getCanaryRevision()).as("web-002 failed: not rolled out again").isNull();

    h.tick(Command.RETRY);
    assertThat(h.status.getCanaryRevision()).isEqualTo("web-002");
    h.tick(Command.ABORT);
    h.deploy("web-003");
    h.tick();
    assertThat(h.status.getCanaryRevision()).isEqualTo("web-003");
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 95, "web-003", 5));
  }

  @Test
  void aNewerRevisionSupersedesTheCanary() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(10);
    assertThat(h.status.getCanaryWeight()).isEqualTo(10);

    h.deploy("web-003");
    Decision superseded = h.tick();

    assertThat(h.eventKinds()).contains("Superseded");
    assertThat(trafficSet(superseded)).containsExactly(split("web-001", 95, "web-003", 5));
    assertThat(h.status.getStep()).isZero();
  }

  @Test
  void trafficChangedOutsideLumenPausesTheRolloutUntilRetried() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.traffic = Map.of("web-001", 50, "web-002", 50);

    Decision paused = h.tick();
    assertThat(trafficSet(paused)).isEmpty();
    assertThat(h.condition(Conditions.PROGRESSING).reason())
        .isEqualTo("TrafficChangedOutsideLumen");
    h.run(30);
    assertThat(h.decisions.subList(h.decisions.size() - 30, h.decisions.size()))
        .allSatisfy(d -> assertThat(trafficSet(d)).isEmpty());

    h.tick(Command.RETRY);
    assertThat(h.status.getRollout().pausedReason()).isNull();
    assertThat(h.status.getRollout().trafficSetByLumen()).hasSize(2);
  }

  @Test
  void allTrafficMovedToOneRevisionOutsideLumenIsAdopted() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.traffic = Map.of("web-002", 100);

    h.tick();

    assertThat(h.status.getStableRevision()).isEqualTo("web-002");
    assertThat(h.status.getCanaryRevision()).isNull();
    assertThat(h.eventKinds()).contains("TrafficChangedOutsideLumen");
  }

  @Test
  void dryRunDecidesTheSameButMarksNothingApplied() {
    var h = new Harness(policy(Harness.DEFAULT_STEPS, true, "5m", Mode.DryRun, null, null));
    h.tick();
    h.deploy("web-002");

    Decision decision = h.tick();

    assertThat(decision.enforced()).isFalse();
    assertThat(trafficSet(decision)).containsExactly(split("web-001", 95, "web-002", 5));
    assertThat(h.traffic).as("nothing applied").isEqualTo(Map.of("web-001", 100));
    assertThat(h.status.getRecentDecisions())
        .filteredOn(r -> r.action().equals("SetTraffic"))
        .allSatisfy(r -> assertThat(r.applied()).isFalse());
    h.run(5);
    assertThat(h.status.getRollout().pausedReason())
        .as("DryRun never sees its own split as foreign")
        .isNull();
  }

  @Test
  void withoutAutomaticRollbackARollbackIsOnlyRecommended() {
    var h = new Harness(policy(Harness.DEFAULT_STEPS, false, "5m", Mode.Enforce, null, null));
    h.canaryPerMinute = Harness.traffic(500, 50, 5);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(30);

    assertThat(h.condition(Conditions.ROLLBACK_PENDING).reason()).isEqualTo("RollbackRecommended");
    assertThat(h.traffic).containsEntry("web-002", 5);
    h.tick(Command.ABORT);
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
  }

  @Test
  void aFailingRoiGateTriggersARollbackAndFailsTheGatesCondition() {
    var gates = new GatesSpec(null, new RoiGate("10", "20", null, "500", "300", null), null, null);
    var h = new Harness(policy(Harness.DEFAULT_STEPS, true, "0s", Mode.Enforce, gates, null));
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(1);

    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(h.condition(Conditions.GATES_PASSING).status()).isEqualTo(Condition.Status.False);
    assertThat(h.status.getRoi()).isEqualTo("100");
  }

  @Test
  void aRestartBetweenAnyTwoDecisionsChangesNothing() {
    var continuous = new Harness(Harness.defaultPolicy());
    continuous.tick();
    continuous.deploy("web-002");
    continuous.tick();
    continuous.run(35);
    // Harness writes status to JSON and back after every decision: the run above already is a
    // sequence of restarts. Deciding twice from the same status must also give the same result.
    var observations = continuous.observations();
    var a =
        continuous.engine.decide(
            continuous.spec,
            continuous.status,
            1,
            observations,
            java.util.Set.of(),
            continuous.now.plus(Duration.ofMinutes(1)));
    var b =
        continuous.engine.decide(
            continuous.spec,
            continuous.status,
            1,
            observations,
            java.util.Set.of(),
            continuous.now.plus(Duration.ofMinutes(1)));

    assertThat(continuous.status.getStableRevision()).isEqualTo("web-002");
    assertThat(a.actions()).isEqualTo(b.actions());
    assertThat(Harness.JSON.asJson(a.status())).isEqualTo(Harness.JSON.asJson(b.status()));
  }

  @Test
  void aDryRunCanaryThatFailsIsNeverToldAsRolledBack() {
    var h = new Harness(policy(Harness.DEFAULT_STEPS, true, "0s", Mode.DryRun, null, null));
    h.tick();
    h.deploy("web-002");
    // The team routes 5 % to the canary by hand; Lumen only watches.
    h.traffic = Map.of("web-001", 95, "web-002", 5);
    h.canaryPerMinute = Harness.traffic(500, 50, 5);
    h.tick();
    h.run(3);

    assertThat(h.status.getRollout().failedRevision()).as("it would have rolled back").isNotNull();
    List<String> told =
        h.decisions.stream()
            .flatMap(d -> d.actions().stream())
            .filter(a -> a instanceof Action.Event || a instanceof Action.Notify)
            .map(a -> a.kind() + ": " + a.reason())
            .toList();
    assertThat(told)
        .noneMatch(t -> t.startsWith("RolledBack") || t.startsWith("Promoted"))
        .noneMatch(t -> t.startsWith("RolloutStarted") || t.startsWith("TrafficShifted"))
        .contains("DryRunRollback: would roll back web-002 to web-001: " + rollbackReason(h));
    assertThat(h.decisions.stream().flatMap(d -> d.actions().stream()))
        .filteredOn(a -> a instanceof Action.Notify)
        .allSatisfy(
            a -> assertThat(((Action.Notify) a).severity()).isNotEqualTo(Severity.Critical));
    Condition degraded = h.condition(Conditions.DEGRADED);
    assertThat(degraded.reason()).isEqualTo("DryRunRolledBack");
    assertThat(degraded.message())
        .isEqualTo(
            "would have rolled back revision web-002 to web-001; the service serves"
                + " {web-001=95, web-002=5} (DryRun moves no traffic)");
    assertThat(h.status.getConditions())
        .extracting(Condition::message)
        .noneMatch(m -> m.contains("was rolled back"));
    assertThat(h.traffic).isEqualTo(Map.of("web-001", 95, "web-002", 5));
  }

  /** The reason of the DryRun rollback decision, as the engine gave it. */
  private static String rollbackReason(Harness h) {
    return h.decisions.stream()
        .flatMap(d -> d.actions().stream())
        .filter(a -> a instanceof Action.SetTraffic && a.kind().equals("Rollback"))
        .map(a -> a.reason().substring(a.reason().indexOf(": ") + 2))
        .findFirst()
        .orElseThrow();
  }

  /** The default policy with an SLO gate on SLOTarget checkout-slo acting as {@code action}. */
  static LumenPolicySpec withSloGate(GateAction action) {
    LumenPolicySpec base = Harness.defaultPolicy();
    return new LumenPolicySpec(
        base.service(),
        base.mode(),
        List.of("checkout-slo"),
        base.rollout(),
        new GatesSpec(new SloGate(SloGate.FailOn.Critical, action, null), null, null, null),
        base.tuning(),
        base.notifications(),
        base.cache());
  }

  static Map<String, PolicyObservations.SloSummary> slo(SloState state) {
    return Map.of("checkout-slo", new PolicyObservations.SloSummary(state, Optional.of(50.0)));
  }

  @Test
  void aFailingBlockGateKeepsANewRevisionFromStartingAndTellsOfItOncePerTransition() {
    var h = new Harness(withSloGate(null));
    h.slos = slo(SloState.Critical);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(10);

    assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(h.status.getCanaryRevision()).isNull();
    Condition blocked = h.condition(Conditions.PROGRESSING);
    assertThat(blocked.status()).isEqualTo(Condition.Status.False);
    assertThat(blocked.reason()).isEqualTo("BlockedByGate");
    assertThat(blocked.message())
        .startsWith("slo gate: SLOTarget checkout-slo is Critical")
        .contains("revision web-002 does not start its rollout")
        .contains("lumen.dev/override-gates");
    assertThat(h.eventKinds()).containsOnlyOnce("BlockedByGate");

    h.slos = slo(SloState.Healthy);
    h.tick();
    assertThat(h.traffic).containsEntry("web-002", 5);
    assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("Step0");
    assertThat(h.eventKinds()).containsOnlyOnce("Unblocked").containsOnlyOnce("BlockedByGate");
  }

  @Test
  void aSpentErrorBudgetFreezesReleasesUntilItRecovers() {
    LumenPolicySpec base = withSloGate(null);
    var h =
        new Harness(
            new LumenPolicySpec(
                base.service(),
                base.mode(),
                base.sloTargets(),
                base.rollout(),
                new GatesSpec(
                    new SloGate(SloGate.FailOn.Critical, null, new FreezeWhen("0", null)),
                    null,
                    null,
                    null),
                base.tuning(),
                base.notifications(),
                base.cache()));
    h.slos = budget(-12.0);
    h.tick();
    h.deploy("web-002");
    h.run(30);

    assertThat(h.traffic).as("no traffic for the new revision").isEqualTo(Map.of("web-001", 100));
    assertThat(h.condition(Conditions.PROGRESSING).message())
        .startsWith(
            "slo gate: SLOTarget checkout-slo: error budget remaining -12 % (objective"
                + " availability) is below 0 %: releases frozen until it recovers")
        .contains("revision web-002 does not start its rollout");

    h.slos = budget(3.0);
    h.tick();
    assertThat(h.traffic).containsEntry("web-002", 5);
  }

  static Map<String, PolicyObservations.SloSummary> budget(double remaining) {
    return Map.of(
        "checkout-slo",
        new PolicyObservations.SloSummary(
            SloState.Healthy,
            Optional.of(99.0),
            new ErrorBudgets(
                Optional.of(new ErrorBudgets.BudgetLeft("availability", remaining)),
                Optional.empty())));
  }

  @Test
  void aRolloutHoldsAtItsStepWhileABlockGateFailsUntilAPersonOverridesIt() {
    var h = new Harness(withSloGate(GateAction.Block));
    h.slos = slo(SloState.Healthy);
    h.tick();
    h.deploy("web-002");
    h.tick();
    h.run(11);
    int step = h.status.getStep();
    int weight = h.status.getCanaryWeight();
    assertThat(step).as("moved on while healthy").isPositive();

    h.slos = slo(SloState.Critical);
    // A newer revision appears in the same minute: it is held back too, and told of once.
    h.deploy("web-003");
    h.run(40);
    assertThat(h.status.getCanaryRevision())
        .as("not superseded while blocked")
        .isEqualTo("web-002");
    assertThat(h.eventKinds()).containsOnlyOnce("BlockedByGate");
    assertThat(h.status.getStep()).isEqualTo(step);
    assertThat(h.traffic).containsEntry("web-002", weight);
    assertThat(h.condition(Conditions.PROGRESSING).message())
        .contains("web-002 holds at " + weight + " % in step " + step);
    assertThat(h.status.getRollout().deadlineExceeded())
        .as("a held step is not past its deadline")
        .isNull();

    Decision overridden = h.tick(Command.OVERRIDE_GATES);
    assertThat(overridden.consumed()).containsExactly(Command.OVERRIDE_GATES);
    assertThat(h.status.getRollout().gatesOverriddenFor()).isEqualTo("web-002");
    assertThat(h.eventKinds()).contains("GatesOverridden");
    h.run(40);
    assertThat(h.status.getStableRevision()).as("promoted past the gate").isEqualTo("web-002");
    assertThat(h.status.getRollout().gatesOverriddenFor()).as("for that rollout only").isNull();
  }

  @Test
  void aGateActingAsRollbackRollsTheCanaryBackAndOneActingAsNotifyOnlyTells() {
    var rollback = new Harness(withSloGate(GateAction.Rollback));
    rollback.slos = slo(SloState.Healthy);
    rollback.tick();
    rollback.deploy("web-002");
    rollback.tick();
    rollback.slos = slo(SloState.Critical);
    rollback.run(10);
    assertThat(rollback.traffic).isEqualTo(Map.of("web-001", 100));
    assertThat(rollback.status.getRollout().failedRevision()).isEqualTo("web-002");
    assertThat(rollback.decisions.stream().flatMap(d -> d.actions().stream()))
        .anyMatch(
            a ->
                a.kind().equals("RollbackAnnounced")
                    && a.reason().contains("slo gate failed: SLOTarget checkout-slo is Critical"));

    var notify = new Harness(withSloGate(GateAction.Notify));
    notify.slos = slo(SloState.Critical);
    notify.tick();
    notify.deploy("web-002");
    notify.tick();
    notify.run(60);
    assertThat(notify.status.getStableRevision()).as("promoted").isEqualTo("web-002");
    assertThat(notify.condition(Conditions.GATES_PASSING).status())
        .isEqualTo(Condition.Status.False);
    assertThat(notify.eventKinds()).doesNotContain("BlockedByGate", "RollbackAnnounced");
  }
}
