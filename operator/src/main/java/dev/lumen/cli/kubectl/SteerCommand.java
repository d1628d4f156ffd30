package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.engine.rollout.Command;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Asks Lumen for one command by its annotation, as {@code kubectl annotate} would; Lumen acts at
 * its next evaluation and removes the annotation.
 */
final class SteerCommand implements Callable<Integer> {
  private final Command command;

  @Mixin ClusterTarget target;
  @Spec CommandSpec spec;

  SteerCommand(Command command) {
    this.command = command;
  }

  @Override
  public Integer call() {
    try (KubernetesClient client = target.client()) {
      ClusterTarget.read(client, target.name);
      ask(client, target.name, command, spec.commandLine().getOut());
      return 0;
    }
  }

  /** Writes the command's annotation with a merge patch, which keeps every other annotation. */
  static void ask(KubernetesClient client, String name, Command command, PrintWriter out) {
    var patch = Map.of("metadata", Map.of("annotations", Map.of(command.annotation(), "")));
    client
        .resources(LumenPolicy.class)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(patch));
    out.println(
        "lumenpolicy/"
            + name
            + ": asked Lumen to "
            + verb(command)
            + " ("
            + command.annotation()
            + "); it acts at its next evaluation: kubectl lumen get "
            + name
            + " shows what it did");
    out.flush();
  }

  private static String verb(Command command) {
    return switch (command) {
      case APPROVE -> "pass the approval step";
      case PROMOTE -> "send all traffic to the canary now";
      case ABORT -> "roll the canary back now";
      case HOLD -> "hold automatic rollbacks";
      case RELEASE -> "let held rollbacks execute again";
      case RETRY -> "retry (allow the failed revision again, or resume)";
      case OVERRIDE_GATES -> "let the canary past failing Block gates";
    };
  }
}
