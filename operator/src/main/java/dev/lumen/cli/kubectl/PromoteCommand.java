package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.engine.rollout.Command;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Argo Rollouts' {@code promote}: past the step the rollout waits at, or with {@code --full} all
 * traffic to the canary now. Lumen's steps advance on their own when the analysis passes, so the
 * only step a person can pass is an approval step.
 */
@picocli.CommandLine.Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Pass the approval step the rollout waits at (lumen.dev/approve), or with --full send all"
          + " traffic to the canary now (lumen.dev/promote); during a post-promotion watch,"
          + " --full accepts the promoted revision and ends the watch.",
      "Exit code 0 when asked, 1 when there is nothing to promote."
    })
final class PromoteCommand implements Callable<Integer> {
  @Mixin ClusterTarget target;

  @Option(names = "--full", description = "Skip every remaining step: all traffic to the canary.")
  boolean full;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (KubernetesClient client = target.client()) {
      LumenPolicy policy = ClusterTarget.read(client, target.name);
      var status = policy.getStatus();
      RolloutPhase phase = status == null ? null : status.getPhase();
      boolean rollingOut = status != null && status.getCanaryRevision() != null;
      if (full && (rollingOut || phase == RolloutPhase.Watching)) {
        SteerCommand.ask(client, target.name, Command.PROMOTE, spec.commandLine().getOut());
        return 0;
      }
      if (!full && phase == RolloutPhase.AwaitingApproval) {
        SteerCommand.ask(client, target.name, Command.APPROVE, spec.commandLine().getOut());
        return 0;
      }
      var err = spec.commandLine().getErr();
      if (!rollingOut) {
        err.println(
            "lumenpolicy/"
                + target.name
                + ": nothing to promote: no rollout in progress (phase "
                + (phase == null ? "unknown" : phase)
                + ")");
      } else {
        err.println(
            "lumenpolicy/"
                + target.name
                + ": step "
                + (status.getStep() == null ? "?" : status.getStep() + 1)
                + " of "
                + RolloutView.stepCount(policy)
                + " is not waiting for approval (phase "
                + phase
                + "): its steps advance on their own when the analysis passes; --full sends all"
                + " traffic to "
                + status.getCanaryRevision()
                + " now");
      }
      err.flush();
      return 1;
    }
  }
}
