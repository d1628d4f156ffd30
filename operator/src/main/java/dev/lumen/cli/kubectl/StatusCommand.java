package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Durations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl lumen status NAME}: waits for the rollout to end, for CI. Exit 0 promoted (or no
 * rollout and nothing failed), 1 rolled back or failed (or the policy is not Ready), 2 timed out.
 */
@picocli.CommandLine.Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until the LumenPolicy's rollout ends, printing each change of phase.",
      "Exit code 0 when the revision was promoted (or there is no rollout and nothing failed), 1"
          + " when it was rolled back or the policy is not Ready, 2 when --timeout passed first.",
      "A promoted revision under a post-promotion watch is waited for until the watch ends."
    })
final class StatusCommand implements Callable<Integer> {
  static final int PROMOTED = 0;
  static final int FAILED = 1;
  static final int TIMED_OUT = 2;
  private static final Duration POLL = Duration.ofSeconds(2);

  @Mixin ClusterTarget target;

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      paramLabel = "DURATION",
      description = "How long to wait, e.g. 30m or 2h (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--revision",
      paramLabel = "REVISION",
      description =
          "Wait for this revision (e.g. the one just deployed) to be promoted or rolled back;"
              + " default: the canary in progress, if any.")
  String revision;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = Durations.parse(timeout);
    Instant deadline = Instant.now().plus(limit);
    var out = spec.commandLine().getOut();
    String awaited = revision;
    String lastLine = null;
    try (KubernetesClient client = target.client()) {
      while (true) {
        LumenPolicy policy = ClusterTarget.read(client, target.name);
        Outcome outcome = outcome(policy, awaited);
        awaited = outcome.awaited();
        if (!outcome.line().equals(lastLine)) {
          out.println(target.name + ": " + outcome.line());
          out.flush();
          lastLine = outcome.line();
        }
        if (outcome.code() != null) {
          return outcome.code();
        }
        if (!Instant.now().isBefore(deadline)) {
          out.println(target.name + ": timed out after " + timeout + ": " + outcome.line());
          out.flush();
          return TIMED_OUT;
        }
        Thread.sleep(
            Math.min(
                POLL.toMillis(),
                Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
      }
    }
  }

  /** What the status says: an exit code when the wait is over, or null to wait on. */
  record Outcome(Integer code, String line, String awaited) {}

  static Outcome outcome(LumenPolicy policy, String awaited) {
    var status = policy.getStatus();
    Long generation = policy.getMetadata().getGeneration();
    if (status == null || status.getObservedGeneration() == null) {
      return new Outcome(null, "waiting: not evaluated yet", awaited);
    }
    if (generation != null && status.getObservedGeneration() < generation) {
      return new Outcome(null, "waiting: the status is of an older spec", awaited);
    }
    Condition ready = condition(policy, Conditions.READY);
    if (ready != null && ready.status() != Condition.Status.True) {
      return new Outcome(FAILED, "not Ready: " + ready.reason() + ": " + ready.message(), awaited);
    }
    RolloutPhase phase = status.getPhase();
    var rollout = status.getRollout();
    String failed = rollout == null ? null : rollout.failedRevision();
    String watched = rollout == null || rollout.watch() == null ? null : rollout.watch().revision();
    if (awaited == null) {
      awaited = status.getCanaryRevision() != null ? status.getCanaryRevision() : watched;
    }
    if (awaited != null && awaited.equals(failed)) {
      Condition degraded = condition(policy, Conditions.DEGRADED);
      return new Outcome(
          FAILED,
          awaited + " was rolled back" + (degraded == null ? "" : ": " + degraded.message()),
          awaited);
    }
    boolean inProgress = phase != null && phase != RolloutPhase.Idle;
    if (awaited == null) {
      // Nothing rolling out, and no revision named: the policy's state is the answer.
      Condition degraded = condition(policy, Conditions.DEGRADED);
      if (degraded != null && degraded.status() == Condition.Status.True) {
        return new Outcome(
            FAILED, "Degraded " + degraded.reason() + ": " + degraded.message(), null);
      }
      return inProgress
          ? new Outcome(null, "waiting: " + phase, null)
          : new Outcome(
              PROMOTED,
              "no rollout in progress; " + status.getStableRevision() + " serves 100 %",
              null);
    }
    if (awaited.equals(status.getStableRevision()) && !inProgress) {
      return new Outcome(PROMOTED, awaited + " promoted: it serves 100 %", awaited);
    }
    String where =
        awaited.equals(status.getCanaryRevision())
            ? phase
                + (status.getStep() == null ? "" : ", step " + (status.getStep() + 1))
                + ", "
                + awaited
                + " at "
                + (status.getCanaryWeight() == null ? 0 : status.getCanaryWeight())
                + " %"
            : awaited.equals(watched)
                ? "Watching " + awaited + " after its promotion"
                : "waiting for " + awaited + " to start its rollout (phase " + phase + ")";
    return new Outcome(null, where, awaited);
  }

  private static Condition condition(LumenPolicy policy, String type) {
    return ConditionList.find(policy.getStatus().getConditions(), type).orElse(null);
  }
}
