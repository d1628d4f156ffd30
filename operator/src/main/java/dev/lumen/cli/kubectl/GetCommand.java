package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.LumenPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubectl lumen get NAME [-w]}: the rollout at a glance, once or as it changes. */
@picocli.CommandLine.Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Show a LumenPolicy's rollout: revisions and weights, phase and step, the last analysis"
          + " with each check's value, limit and verdict, gates, a pending rollback with its"
          + " deadline, and the recent decisions.",
      "With -w, show it again each time it changes, until interrupted."
    })
final class GetCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofSeconds(1);

  @Mixin ClusterTarget target;

  @Option(
      names = {"-w", "--watch"},
      description = "Keep showing it as it changes.")
  boolean watch;

  @Spec CommandSpec spec;

  private final Clock clock = Clock.systemDefaultZone();

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    boolean terminal = System.console() != null;
    try (KubernetesClient client = target.client()) {
      String shown = null;
      do {
        LumenPolicy policy = ClusterTarget.read(client, target.name);
        String view = new RolloutView(clock.getZone(), clock.instant()).render(policy);
        if (!Objects.equals(view, shown)) {
          if (shown != null) {
            // A terminal shows the latest view in place; a pipe keeps every one.
            out.print(terminal ? "\u001b[H\u001b[2J" : "\n");
          }
          out.print(view);
          out.flush();
          shown = view;
        }
        if (watch) {
          Thread.sleep(POLL.toMillis());
        }
      } while (watch);
    }
    return 0;
  }
}
