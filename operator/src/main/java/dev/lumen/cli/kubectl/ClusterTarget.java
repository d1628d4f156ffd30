package dev.lumen.cli.kubectl;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.cli.ClusterClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The policy a command is about, and the cluster it lives in, chosen as kubectl chooses. */
final class ClusterTarget {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  @Parameters(index = "0", paramLabel = "NAME", description = "The LumenPolicy.")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Its namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  KubernetesClient client() {
    return ClusterClients.of(
        Optional.ofNullable(kubeconfig),
        Optional.ofNullable(context),
        Optional.ofNullable(namespace),
        REQUEST_TIMEOUT);
  }

  /** The policy as it is now; an error naming it and its namespace when there is none. */
  static LumenPolicy read(KubernetesClient client, String name) {
    LumenPolicy policy = client.resources(LumenPolicy.class).withName(name).get();
    if (policy == null) {
      throw new IllegalArgumentException(
          "no LumenPolicy \"" + name + "\" in namespace " + client.getNamespace());
    }
    return policy;
  }
}
