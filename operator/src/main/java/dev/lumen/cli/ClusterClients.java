package dev.lumen.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Clients of the cluster the commands talk to, each request bounded by a deadline. */
public final class ClusterClients {
  private ClusterClients() {}

  /**
   * @param kubeconfig a kubeconfig file; else $KUBECONFIG, ~/.kube/config or the pod's service
   *     account
   */
  static KubernetesClient of(Optional<Path> kubeconfig, Duration requestTimeout) {
    return of(kubeconfig, Optional.empty(), Optional.empty(), requestTimeout);
  }

  /**
   * As kubectl chooses: the kubeconfig file, else $KUBECONFIG or ~/.kube/config; its current
   * context unless one is named; that context's namespace unless one is named.
   */
  public static KubernetesClient of(
      Optional<Path> kubeconfig,
      Optional<String> context,
      Optional<String> namespace,
      Duration requestTimeout) {
    Config base;
    try {
      base =
          kubeconfig.isPresent()
              ? Config.fromKubeconfig(
                  context.orElse(null),
                  Files.readString(kubeconfig.get()),
                  kubeconfig.get().toString())
              : Config.autoConfigure(context.orElse(null));
    } catch (IOException e) {
      throw new KubernetesClientException(
          "cannot read " + kubeconfig.get() + ": " + e.getMessage());
    }
    int millis = (int) requestTimeout.toMillis();
    var builder = new ConfigBuilder(base).withRequestTimeout(millis).withConnectionTimeout(millis);
    namespace.ifPresent(builder::withNamespace);
    Config config = builder.build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
