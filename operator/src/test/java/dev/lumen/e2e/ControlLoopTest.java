package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.sim.SimWorld.Behaviour;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole control loop: the real operator on the embedded API server, its real Google adapters
 * over gRPC to the loopback Cloud Run and Monitoring fakes, and a simulated world whose traffic
 * follows the split Lumen sets. The clock runs 60 times faster than real time.
 */
class ControlLoopTest {
  static final double SPEED = 60;
  static Rig rig;
  static LumenOperator operator;
  static SimpleMeterRegistry registry;

  @BeforeAll
  static void start() {
    rig = new Rig(SPEED, 42);
    registry = new SimpleMeterRegistry();
    operator = rig.operator(registry);
  }

  @AfterAll
  static void stop() {
    for (String kind : List.of("lumenpolicy", "slotarget")) {
      var timer = registry.find("lumen.reconcile.duration").tag("kind", kind).timer();
      if (timer != null) {
        System.out.printf(
            "reconcile %s: %d runs, mean %.1f ms, max %.1f ms%n",
            kind,
            timer.count(),
            timer.mean(TimeUnit.MILLISECONDS),
            timer.max(TimeUnit.MILLISECONDS));
      }
    }
    operator.close();
    rig.close();
  }

  static final String STEPS =
      "  rollout:\n    steps: [{weight: 20, pause: 2m}, {weight: 50, pause: 2m}, {weight: 100}]\n";

  @Test
  void healthyCanaryWalksEveryStepAndIsPromoted() {
    var ref = rig.service("healthy");
    rig.apply("healthy", Rig.policy("healthy", ref, "Enforce", STEPS));
    rig.awaitReady("healthy");

    rig.google.world().deploy(ref, "healthy-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus("healthy", s -> "healthy-00002".equals(s.getStableRevision()));
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(rig.trafficChanges(ref))
        .containsExactly(
            Map.of("healthy-00001", 80, "healthy-00002", 20),
            Map.of("healthy-00001", 50, "healthy-00002", 50),
            Map.of("healthy-00002", 100));
    assertThat(Rig.condition(status.getConditions(), Conditions.PROGRESSING).reason())
        .isEqualTo("Idle");
    assertThat(status.getRecentDecisions())
        .extracting(DecisionRecord::action)
        .contains("SetTraffic", "Promoted", "RolloutStarted");
    assertThat(status.getPending()).isNull();
  }

  @Test
  void failingCanaryIsRolledBackAfterTheGracePeriod() {
    var ref = rig.service("failing");
    rig.apply(
        "failing",
        Rig.policy("failing", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 2m}\n"));
    rig.awaitReady("failing");

    rig.google
        .world()
        .deploy(ref, "failing-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus(
            "failing",
            s -> s.getRollout() != null && "failing-00002".equals(s.getRollout().failedRevision()));
    assertThat(status.getStableRevision()).isEqualTo("failing-00001");
    assertThat(rig.trafficChanges(ref))
        .containsExactly(
            Map.of("failing-00001", 80, "failing-00002", 20), Map.of("failing-00001", 100));
    assertThat(Rig.condition(status.getConditions(), Conditions.DEGRADED).reason())
        .isEqualTo("RolledBack");
    Instant started = Rig.decisionTime(status, "SetTraffic");
    Instant rolledBack = Rig.decisionTime(status, "Rollback");
    System.out.printf(
        "reaction: canary at 20 %% at %s, rolled back at %s: %d s of clock time%n",
        started, rolledBack, Duration.between(started, rolledBack).toSeconds());
  }

  @Test
  void aHeldRollbackWaitsForThePerson() {
    var ref = rig.service("held");
    rig.apply(
        "held", Rig.policy("held", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 3m}\n"));
    rig.awaitReady("held");
    rig.google.world().deploy(ref, "held-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

    rig.awaitStatus(
        "held", s -> s.getRollout() != null && s.getRollout().pendingRollback() != null);
    rig.annotate("held", "lumen.dev/hold-rollback");

    LumenPolicyStatus held =
        rig.awaitStatus("held", s -> Boolean.TRUE.equals(s.getRollout().held()));
    assertThat(Rig.condition(held.getConditions(), Conditions.ROLLBACK_PENDING).reason())
        .isEqualTo("RollbackHeld");
    Instant executeAfter = Instant.parse(held.getRollout().pendingRollback().executeAfter());
    rig.let(Duration.between(rig.clock.instant(), executeAfter).plus(Duration.ofMinutes(2)));
    assertThat(rig.trafficChanges(ref)).containsExactly(Map.of("held-00001", 80, "held-00002", 20));
    assertThat(rig.annotations("held")).doesNotContainKey("lumen.dev/hold-rollback");

    rig.annotate("held", "lumen.dev/release-rollback");
    rig.awaitStatus("held", s -> "held-00002".equals(s.getRollout().failedRevision()));
    assertThat(rig.trafficChanges(ref)).last().isEqualTo(Map.of("held-00001", 100));
  }

  @Test
  void dryRunChangesNothingButReportsTheDecisions() {
    var ref = rig.service("dry");
    rig.apply("dry", Rig.policy("dry", ref, "DryRun", STEPS));
    rig.awaitReady("dry");
    rig.google.world().deploy(ref, "dry-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus(
            "dry",
            s ->
                s.getRecentDecisions().stream()
                    .anyMatch(
                        d -> d.action().equals("SetTraffic") && Boolean.FALSE.equals(d.applied())));
    assertThat(status.getCanaryRevision()).isEqualTo("dry-00002");
    assertThat(rig.trafficChanges(ref)).isEmpty();
    assertThat(rig.google.cloudRun().find(ref.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("dry-00001", 100));
  }

  @Test
  void anApprovalStepWaitsForTheAnnotation() {
    var ref = rig.service("gated");
    rig.apply(
        "gated",
        Rig.policy(
            "gated",
            ref,
            "Enforce",
            "  rollout:\n    steps: [{weight: 20, pause: 2m}, {approval: {}}, {weight: 100}]\n"));
    rig.awaitReady("gated");
    rig.google.world().deploy(ref, "gated-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus waiting =
        rig.awaitStatus("gated", s -> Integer.valueOf(1).equals(s.getStep()));
    assertThat(waiting.getCanaryWeight()).isEqualTo(20);
    rig.let(Duration.ofMinutes(3));
    assertThat(rig.policyStatus("gated").getStep()).isEqualTo(1);

    rig.annotate("gated", "lumen.dev/approve");
    rig.awaitStatus("gated", s -> "gated-00002".equals(s.getStableRevision()));
    assertThat(rig.trafficChanges(ref))
        .containsExactly(Map.of("gated-00001", 80, "gated-00002", 20), Map.of("gated-00002", 100));
    assertThat(rig.annotations("gated")).doesNotContainKey("lumen.dev/approve");
  }

  @Test
  void trafficEditedOutsideLumenPausesThePolicy() {
    var ref = rig.service("edited");
    rig.apply("edited", Rig.policy("edited", ref, "Enforce", STEPS));
    rig.awaitReady("edited");
    rig.google.world().deploy(ref, "edited-00002", Behaviour.HEALTHY, rig.clock.instant());
    rig.awaitStatus("edited", s -> Integer.valueOf(20).equals(s.getCanaryWeight()));

    rig.google
        .cloudRun()
        .editTrafficOutsideLumen(ref, Map.of("edited-00001", 60, "edited-00002", 40));

    LumenPolicyStatus paused =
        rig.awaitStatus(
            "edited", s -> s.getRollout() != null && s.getRollout().pausedReason() != null);
    Condition progressing = Rig.condition(paused.getConditions(), Conditions.PROGRESSING);
    assertThat(progressing.status()).isEqualTo(Condition.Status.False);
    assertThat(progressing.reason()).isEqualTo("TrafficChangedOutsideLumen");
    assertThat(progressing.message()).contains("lumen.dev/retry");
    assertThat(rig.trafficChanges(ref))
        .containsExactly(Map.of("edited-00001", 80, "edited-00002", 20));
  }
}
