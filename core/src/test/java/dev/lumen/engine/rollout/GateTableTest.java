package dev.lumen.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.MaturityGate;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.RollbackSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.measure.CacheCounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The table of docs/decisions.md, "What a failing gate does": every cell of gate action × rollout
 * phase × gate result, each played on the engine from a rollout in that phase.
 */
class GateTableTest {
  /** The phase the rollout is in when the gate's result changes. */
  enum Phase {
    /** web-001 serves; web-002 appears once the gate has its result. */
    IDLE,
    /** web-002 at 5 % in its first step. */
    PROGRESSING,
    /** web-002 at 5 % at an approval step; a person approves once the gate has its result. */
    AWAITING_APPROVAL,
    /** Someone else set 70/30: the rollout waits for a person. */
    PAUSED,
    /** web-002 promoted, watched for 30 minutes (rollout.postPromotion). */
    WATCHING
  }

  enum Result {
    PASS,
    UNKNOWN,
    FAIL
  }

  /** What Lumen does, as the table says it. */
  enum Outcome {
    ROLLOUT_STARTS,
    DOES_NOT_START,
    GOES_ON_TO_PROMOTION,
    HOLDS_AT_ITS_STEP,
    ROLLED_BACK,
    APPROVAL_FOLLOWED,
    APPROVAL_NOT_FOLLOWED,
    STAYS_PAUSED,
    WATCH_PASSES,
    ROLLED_BACK_TO_PREVIOUS
  }

  @ParameterizedTest(name = "{0} with a {1} gate that gives {2}: {3}")
  @CsvSource(
      textBlock =
          """
          IDLE,              Block,    FAIL,    DOES_NOT_START
          IDLE,              Rollback, FAIL,    ROLLED_BACK
          IDLE,              Notify,   FAIL,    ROLLOUT_STARTS
          IDLE,              Block,    PASS,    ROLLOUT_STARTS
          IDLE,              Rollback, PASS,    ROLLOUT_STARTS
          IDLE,              Notify,   PASS,    ROLLOUT_STARTS
          IDLE,              Block,    UNKNOWN, ROLLOUT_STARTS
          IDLE,              Rollback, UNKNOWN, ROLLOUT_STARTS
          IDLE,              Notify,   UNKNOWN, ROLLOUT_STARTS
          PROGRESSING,       Block,    FAIL,    HOLDS_AT_ITS_STEP
          PROGRESSING,       Rollback, FAIL,    ROLLED_BACK
          PROGRESSING,       Notify,   FAIL,    GOES_ON_TO_PROMOTION
          PROGRESSING,       Block,    PASS,    GOES_ON_TO_PROMOTION
          PROGRESSING,       Rollback, PASS,    GOES_ON_TO_PROMOTION
          PROGRESSING,       Notify,   PASS,    GOES_ON_TO_PROMOTION
          PROGRESSING,       Block,    UNKNOWN, GOES_ON_TO_PROMOTION
          PROGRESSING,       Rollback, UNKNOWN, GOES_ON_TO_PROMOTION
          PROGRESSING,       Notify,   UNKNOWN, GOES_ON_TO_PROMOTION
          AWAITING_APPROVAL, Block,    FAIL,    APPROVAL_NOT_FOLLOWED
          AWAITING_APPROVAL, Rollback, FAIL,    ROLLED_BACK
          AWAITING_APPROVAL, Notify,   FAIL,    APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Block,    PASS,    APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Rollback, PASS,    APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Notify,   PASS,    APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Block,    UNKNOWN, APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Rollback, UNKNOWN, APPROVAL_FOLLOWED
          AWAITING_APPROVAL, Notify,   UNKNOWN, APPROVAL_FOLLOWED
          PAUSED,            Block,    FAIL,    STAYS_PAUSED
          PAUSED,            Rollback, FAIL,    STAYS_PAUSED
          PAUSED,            Notify,   FAIL,    STAYS_PAUSED
          PAUSED,            Block,    PASS,    STAYS_PAUSED
          PAUSED,            Rollback, PASS,    STAYS_PAUSED
          PAUSED,            Notify,   PASS,    STAYS_PAUSED
          PAUSED,            Block,    UNKNOWN, STAYS_PAUSED
          PAUSED,            Rollback, UNKNOWN, STAYS_PAUSED
          PAUSED,            Notify,   UNKNOWN, STAYS_PAUSED
          WATCHING,          Block,    FAIL,    WATCH_PASSES
          WATCHING,          Rollback, FAIL,    ROLLED_BACK_TO_PREVIOUS
          WATCHING,          Notify,   FAIL,    WATCH_PASSES
          WATCHING,          Block,    PASS,    WATCH_PASSES
          WATCHING,          Rollback, PASS,    WATCH_PASSES
          WATCHING,          Notify,   PASS,    WATCH_PASSES
          WATCHING,          Block,    UNKNOWN, WATCH_PASSES
          WATCHING,          Rollback, UNKNOWN, WATCH_PASSES
          WATCHING,          Notify,   UNKNOWN, WATCH_PASSES
          """)
  void aGateActsAsTheTableSays(Phase phase, GateAction action, Result result, Outcome outcome) {
    var h =
        new Harness(
            policy(
                phase,
                new GatesSpec(
                    new SloGate(SloGate.FailOn.Critical, action, null), null, null, null)));
    h.slos = slo(SloState.Healthy);
    int from = reach(h, phase);
    h.slos =
        switch (result) {
          case PASS -> slo(SloState.Healthy);
          case UNKNOWN -> Map.of();
          case FAIL -> slo(SloState.Critical);
        };
    play(h, phase);
    expect(h, outcome, h.eventKinds(from));
  }

  /** Each gate, failing while a canary is at its step, acts as its default action. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      textBlock =
          """
          slo,                      HOLDS_AT_ITS_STEP
          maturity,                 HOLDS_AT_ITS_STEP
          roi,                      ROLLED_BACK
          budget,                   ROLLED_BACK
          roi without onRoiFail,    GOES_ON_TO_PROMOTION
          budget without onBudget,  GOES_ON_TO_PROMOTION
          """)
  void eachGateFailingActsAsItsDefaultAction(String gate, Outcome outcome) {
    boolean oldTriggerOff = gate.contains("without");
    var gates =
        switch (gate.split(" ")[0]) {
          case "slo" ->
              new GatesSpec(new SloGate(SloGate.FailOn.Critical, null, null), null, null, null);
          case "maturity" -> new GatesSpec(null, null, null, new MaturityGate("50", null));
          case "roi" ->
              new GatesSpec(null, new RoiGate("10", null, "0.02", "500", "300", null), null, null);
          default ->
              new GatesSpec(
                  null,
                  null,
                  new BudgetGate("200", "USD", List.of("80", "90", "100"), null, null, null),
                  null);
        };
    LumenPolicySpec base = policy(Phase.PROGRESSING, gates);
    var rollback = base.rollout().rollback();
    var triggers = rollback.triggers();
    var spec =
        oldTriggerOff
            ? withRollback(
                base,
                new RollbackSpec(
                    rollback.automatic(),
                    rollback.gracePeriod(),
                    new RollbackTriggers(
                        triggers.minAvailability(),
                        triggers.maxErrorRate(),
                        !gate.startsWith("roi"),
                        !gate.startsWith("budget"))))
            : base;
    var h = new Harness(spec);
    Consumer<Boolean> failing =
        fail -> {
          h.slos = slo(fail ? SloState.Critical : SloState.Healthy);
          h.maturity = maturity(!fail);
          h.cache = Optional.of(fail ? new CacheCounts(10, 10) : new CacheCounts(100_000, 10));
          h.cost = spending(fail ? 150 : 10);
        };
    failing.accept(false);
    int from = reach(h, Phase.PROGRESSING);
    failing.accept(true);
    play(h, Phase.PROGRESSING);
    expect(h, outcome, h.eventKinds(from));
  }

  static LumenPolicySpec policy(Phase phase, GatesSpec gates) {
    List<RolloutStep> steps =
        phase == Phase.AWAITING_APPROVAL
            ? List.of(Harness.step(5, "10m"), Harness.approval(), Harness.step(100, null))
            : Harness.DEFAULT_STEPS;
    LumenPolicySpec base =
        Harness.policy(steps, true, "5m", LumenPolicySpec.Mode.Enforce, gates, null);
    LumenPolicySpec named =
        new LumenPolicySpec(
            base.service(),
            base.mode(),
            List.of("checkout-slo"),
            base.rollout(),
            base.gates(),
            base.tuning(),
            base.notifications(),
            base.cache());
    return phase == Phase.WATCHING ? Harness.withPostPromotion(named, "30m") : named;
  }

  static LumenPolicySpec withRollback(LumenPolicySpec spec, RollbackSpec rollback) {
    RolloutSpec r = spec.rollout();
    return Harness.withRollout(
        spec,
        new RolloutSpec(
            r.steps(),
            r.analysis(),
            rollback,
            r.progressDeadline(),
            r.onProgressDeadline(),
            r.postPromotion(),
            r.revisionTags()));
  }

  /** Brings the rollout into {@code phase}; returns the decision from which on its events count. */
  static int reach(Harness h, Phase phase) {
    h.tick();
    switch (phase) {
      case IDLE -> {}
      case PROGRESSING -> {
        h.deploy("web-002");
        h.run(2);
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Progressing);
      }
      case AWAITING_APPROVAL -> {
        h.deploy("web-002");
        h.run(12);
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.AwaitingApproval);
      }
      case PAUSED -> {
        h.deploy("web-002");
        h.run(2);
        h.traffic = new LinkedHashMap<>(Map.of("web-001", 70, "web-002", 30));
        h.run(1);
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Paused);
      }
      case WATCHING -> {
        h.deploy("web-002");
        h.run(40);
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Watching);
      }
    }
    return h.decisions.size();
  }

  /** What happens next: long enough for every outcome of the table to show. */
  static void play(Harness h, Phase phase) {
    switch (phase) {
      case IDLE -> {
        h.deploy("web-002");
        h.run(15);
      }
      case AWAITING_APPROVAL -> {
        // The gate's result is seen before a person approves.
        h.run(1);
        h.tick(Command.APPROVE);
        h.run(10);
      }
      default -> h.run(45);
    }
  }

  static void expect(Harness h, Outcome outcome, List<String> events) {
    switch (outcome) {
      case ROLLOUT_STARTS -> {
        assertThat(h.status.getCanaryRevision()).isEqualTo("web-002");
        assertThat(h.traffic.get("web-002")).isPositive();
        assertThat(events).contains("RolloutStarted").doesNotContain("BlockedByGate");
      }
      case DOES_NOT_START -> {
        assertThat(h.status.getCanaryRevision()).isNull();
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
        assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("BlockedByGate");
        assertThat(events).containsOnlyOnce("BlockedByGate");
      }
      case GOES_ON_TO_PROMOTION -> {
        assertThat(h.status.getStableRevision()).isEqualTo("web-002");
        assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
        assertThat(events).contains("Promoted").doesNotContain("BlockedByGate", "RolledBack");
      }
      case HOLDS_AT_ITS_STEP -> {
        assertThat(h.status.getCanaryRevision()).isEqualTo("web-002");
        assertThat(h.status.getStep()).isZero();
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 95, "web-002", 5));
        assertThat(h.condition(Conditions.PROGRESSING).reason()).isEqualTo("BlockedByGate");
        assertThat(events).containsOnlyOnce("BlockedByGate").doesNotContain("RolledBack");
      }
      case ROLLED_BACK -> {
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
        assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
        assertThat(events).contains("RollbackAnnounced", "RolledBack");
      }
      case APPROVAL_FOLLOWED -> {
        assertThat(events).contains("Approved", "Promoted");
        assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
      }
      case APPROVAL_NOT_FOLLOWED -> {
        assertThat(events).contains("ApprovalBlocked").doesNotContain("Approved");
        assertThat(h.status.getStep()).isEqualTo(1);
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 95, "web-002", 5));
      }
      case STAYS_PAUSED -> {
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Paused);
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 70, "web-002", 30));
        assertThat(events).isEmpty();
      }
      case WATCH_PASSES -> {
        assertThat(h.status.getStableRevision()).isEqualTo("web-002");
        assertThat(h.traffic).isEqualTo(Map.of("web-002", 100));
        assertThat(h.status.getPhase()).isEqualTo(RolloutPhase.Idle);
        assertThat(events).contains("WatchPassed").doesNotContain("RollbackAnnounced");
      }
      case ROLLED_BACK_TO_PREVIOUS -> {
        assertThat(h.traffic).isEqualTo(Map.of("web-001", 100));
        assertThat(h.status.getStableRevision()).isEqualTo("web-001");
        assertThat(h.status.getRollout().failedRevision()).isEqualTo("web-002");
        assertThat(events)
            .contains("RollbackAnnounced", "RolledBack")
            .doesNotContain("WatchPassed");
      }
    }
  }

  static Map<String, PolicyObservations.SloSummary> slo(SloState state) {
    return Map.of("checkout-slo", new PolicyObservations.SloSummary(state, Optional.of(99.0)));
  }

  /** Three measures that score 100 each, or 0 each. */
  static MaturityScore.Inputs maturity(boolean good) {
    return new MaturityScore.Inputs(
        Optional.of(good ? 7.0 : 0.0),
        Optional.of(good ? 100.0 : 2000.0),
        Optional.of(good ? 0.0 : 5.0),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Usage worth {@code percent} of a 200 USD budget at 0.40 USD per million requests. */
  static Optional<CostUsage> spending(double percent) {
    return PolicyEngineTest.spending(percent);
  }
}
