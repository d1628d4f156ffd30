package dev.lumen.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code kubectl lumen status} makes of a policy's status: wait on, 0 or 1. */
class StatusOutcomeTest {
  @Test
  void waitsWhileTheStatusIsMissingOrOfAnOlderSpec() {
    var policy = policy(null);
    assertThat(StatusCommand.outcome(policy, null).code()).isNull();

    policy = policy(status(RolloutPhase.Idle, "app-1", null, null));
    policy.getMetadata().setGeneration(2L);
    var outcome = StatusCommand.outcome(policy, "app-2");
    assertThat(outcome.code()).isNull();
    assertThat(outcome.line()).contains("older spec");
  }

  @Test
  void aPolicyThatIsNotReadyFails() {
    var status = status(RolloutPhase.Idle, "app-1", null, null);
    status.setConditions(
        List.of(
            new Condition(
                "Ready", Condition.Status.False, 1L, null, "ServiceNotFound", "no service app")));
    var outcome = StatusCommand.outcome(policy(status), "app-2");
    assertThat(outcome.code()).isEqualTo(StatusCommand.FAILED);
    assertThat(outcome.line()).isEqualTo("not Ready: ServiceNotFound: no service app");
  }

  @Test
  void theCanaryInProgressIsAwaitedUntilPromotedOrRolledBack() {
    var progressing = status(RolloutPhase.Progressing, "app-1", "app-2", null);
    var first = StatusCommand.outcome(policy(progressing), null);
    assertThat(first.code()).isNull();
    assertThat(first.awaited()).isEqualTo("app-2");
    assertThat(first.line()).isEqualTo("Progressing, step 1, app-2 at 20 %");

    var promoted =
        StatusCommand.outcome(policy(status(RolloutPhase.Idle, "app-2", null, null)), "app-2");
    assertThat(promoted.code()).isEqualTo(StatusCommand.PROMOTED);

    var rolledBack =
        StatusCommand.outcome(policy(status(RolloutPhase.Idle, "app-1", null, "app-2")), "app-2");
    assertThat(rolledBack.code()).isEqualTo(StatusCommand.FAILED);
    assertThat(rolledBack.line()).startsWith("app-2 was rolled back");
  }

  @Test
  void aPromotedRevisionUnderWatchIsWaitedFor() {
    var watching = status(RolloutPhase.Watching, "app-2", null, null);
    watching.setRollout(
        rollout(null, new RolloutStatus.WatchStatus("app-2", "app-1", null, null, null)));
    var outcome = StatusCommand.outcome(policy(watching), "app-2");
    assertThat(outcome.code()).isNull();
    assertThat(outcome.line()).isEqualTo("Watching app-2 after its promotion");
  }

  @Test
  void withNothingRollingOutAndNoRevisionNamedTheStateIsTheAnswer() {
    var idle = StatusCommand.outcome(policy(status(RolloutPhase.Idle, "app-1", null, null)), null);
    assertThat(idle.code()).isEqualTo(StatusCommand.PROMOTED);

    var degraded = status(RolloutPhase.Idle, "app-1", null, null);
    degraded
        .getConditions()
        .add(
            new Condition(
                "Degraded", Condition.Status.True, 1L, null, "RolledBack", "app-2 failed"));
    assertThat(StatusCommand.outcome(policy(degraded), null).code())
        .isEqualTo(StatusCommand.FAILED);
  }

  @Test
  void aNamedRevisionNotYetStartedIsWaitedFor() {
    var outcome =
        StatusCommand.outcome(policy(status(RolloutPhase.Idle, "app-1", null, null)), "app-3");
    assertThat(outcome.code()).isNull();
    assertThat(outcome.line()).isEqualTo("waiting for app-3 to start its rollout (phase Idle)");
  }

  private static LumenPolicy policy(LumenPolicyStatus status) {
    var policy = new LumenPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("app").withGeneration(1L).build());
    policy.setStatus(status);
    return policy;
  }

  private static LumenPolicyStatus status(
      RolloutPhase phase, String stable, String canary, String failed) {
    var status = new LumenPolicyStatus();
    status.setObservedGeneration(1L);
    status.setPhase(phase);
    status.setStableRevision(stable);
    status.setCanaryRevision(canary);
    status.setCanaryWeight(canary == null ? null : 20);
    status.setStep(canary == null ? null : 0);
    status.setRollout(rollout(failed, null));
    status.setConditions(
        new ArrayList<>(
            List.of(new Condition("Ready", Condition.Status.True, 1L, null, "Accepted", "ok"))));
    return status;
  }

  private static RolloutStatus rollout(String failed, RolloutStatus.WatchStatus watch) {
    return new RolloutStatus(
        failed, 0, null, null, false, null, null, List.of(), null, null, null, watch, null, null);
  }
}
